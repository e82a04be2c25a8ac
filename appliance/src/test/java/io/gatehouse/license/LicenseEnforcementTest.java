package io.gatehouse.license;

import static io.gatehouse.license.LicenseFixtures.VENDOR;
import static io.gatehouse.license.LicenseFixtures.assertProblem;
import static io.gatehouse.license.LicenseFixtures.banner;
import static io.gatehouse.license.LicenseFixtures.license;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One licensed portal through a license's life: seats enforced, expiry with its grace period (banner, writes still
 * allowed), read-only after it (admin changes refused, reads, chat and the kill-switch still work), and an upload that
 * lifts it at once. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LicenseEnforcementTest {

    static final String PASSWORD = "Gatehouse-member-passphrase-1";
    static final UUID ANALYST = UUID.fromString("00000000-0000-0000-0000-00000000a003");

    static Path licenseDir;
    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static UUID first;
    static UUID second;

    @BeforeAll
    static void start() throws Exception {
        licenseDir = Files.createTempDirectory("gatehouse-license-test");
        // The portal's clock starts on 2026-11-25: this license has 2 seats and expires 2027-02-01 (grace to 2027-02-15).
        LicenseFixtures.write(licenseDir.resolve("license.lic"), LicenseFixtures.file(VENDOR, "ACME-1", 2, "2027-02-01"));
        model = ScriptedModelServer.start();
        portal = TestPortal.start(Map.of("GATEHOUSE_LICENSE_FILE", licenseDir.resolve("license.lic").toString(),
                "GATEHOUSE_LICENSE_PUBLIC_KEYS", LicenseFixtures.trustedKey()));
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a");
        first = pending("first@example.test");
        second = pending("second@example.test");
    }

    @AfterAll
    static void stop() throws Exception {
        portal.close();
        model.close();
        io.gatehouse.testing.SharedPostgres.deleteRecursively(licenseDir);
    }

    private static UUID pending(String email) {
        return portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false, User.PENDING).id();
    }

    private static java.net.http.HttpResponse<String> approve(UUID id) {
        return admin.postJson("/api/v1/admin/users/" + id + "/approve", Map.of("roleIds", List.of(ANALYST)));
    }

    private static String status(UUID id) {
        return WebSession.parse(admin.get("/api/v1/admin/users/" + id).body()).path("status").asText();
    }

    @Test
    @Order(1)
    void theApiShowsTheLicenseFromTheFile() {
        var license = license(admin);

        assertThat(license.path("status").asText()).isEqualTo("VALID");
        assertThat(license.path("message").isNull()).isTrue();
        assertThat(license.path("source").asText()).isEqualTo("file");
        assertThat(license.path("licenseId").asText()).isEqualTo("ACME-1");
        assertThat(license.path("customer").asText()).isEqualTo("Acme GmbH");
        assertThat(license.path("seatsLicensed").asInt()).isEqualTo(2);
        assertThat(license.path("seatsInUse").asInt()).isEqualTo(1);
        assertThat(license.path("expiresAt").asText()).isEqualTo("2027-02-01");
        assertThat(license.path("graceEndsAt").asText()).isEqualTo("2027-02-15");
        assertThat(license.path("features").get(0).asText()).isEqualTo("sso");
        assertThat(license.path("onlineCheck").path("enabled").asBoolean()).isFalse();
        assertThat(license.has("uploadedAt")).isTrue();
        // Valid, but only the key from GATEHOUSE_LICENSE_PUBLIC_KEYS verifies it: said in the API and the banner, state unchanged.
        assertThat(license.path("signedBy").asText()).isEqualTo("configured-key");
        assertThat(license.path("keyWarning").asText()).isEqualTo(LicenseStatus.CONFIGURED_KEY_WARNING);
        String banner = banner(admin.get("/admin/users", "Accept", "text/html").body());
        assertThat(banner).contains("License signed with a key from GATEHOUSE_LICENSE_PUBLIC_KEYS, not a vendor key — for testing only")
                .doesNotContain("expire", "read-only");
    }

    @Test
    @Order(2)
    void approvingBeyondTheLicensedSeatsIsRefusedChangesNothingAndIsAudited() {
        assertThat(approve(first).statusCode()).isEqualTo(200);
        long before = AuditedRows.lastSeq(portal);

        var refused = approve(second);

        assertProblem(refused, 409, "license-seats");
        assertThat(WebSession.parse(refused.body()).path("detail").asText())
                .isEqualTo("All 2 licensed seats are in use; disable someone or upload a license with more seats.");
        assertThat(status(second)).isEqualTo("PENDING");
        var row = AuditedRows.only(portal, before, "user.approved");
        assertThat(row.outcome()).isEqualTo("DENIED");
        assertThat(row.targetId()).isEqualTo(second.toString());
        assertThat(row.detail("reason")).isEqualTo("license_seats");
        assertThat(row.detail("seats_in_use")).isEqualTo("2");
        assertThat(row.detail("seats_licensed")).isEqualTo("2");
    }

    @Test
    @Order(3)
    void reEnablingSomeoneAlsoNeedsAFreeSeat() {
        assertThat(admin.postJson("/api/v1/admin/users/" + first + "/disable", Map.of()).statusCode()).isEqualTo(200);
        assertThat(approve(second).statusCode()).isEqualTo(200);

        assertProblem(admin.postJson("/api/v1/admin/users/" + first + "/enable", Map.of()), 409, "license-seats");
        assertThat(status(first)).isEqualTo("DISABLED");
    }

    @Test
    @Order(4)
    void expiredWithinGraceShowsTheBannerAndStillAllowsChanges() {
        portal.clock.advance(Duration.ofDays(70)); // 2027-02-03
        admin = portal.admin(); // the old session timed out with the clock

        var license = license(admin);
        assertThat(license.path("status").asText()).isEqualTo("GRACE");
        assertThat(license.path("message").asText()).contains("expired on 2027-02-01", "read-only on 2027-02-16");
        String page = admin.get("/admin/users", "Accept", "text/html").body();
        assertThat(page).contains("license-banner", "expired on 2027-02-01");
        assertThat(banner(page)).contains("expired on 2027-02-01", LicenseStatus.CONFIGURED_KEY_WARNING);
        assertThat(admin.putJson("/api/v1/admin/users/" + second + "/roles", Map.of("roleIds", List.of(ANALYST))).statusCode()).isEqualTo(200);
        assertThat(portal.signedIn("second@example.test", PASSWORD).get("/", "Accept", "text/html").body()).doesNotContain("license-banner");
    }

    @Test
    @Order(5)
    void pastGraceAdminChangesAreRefusedButReadsChatAndTheKillSwitchWork() {
        WebSession member = portal.signedIn("second@example.test", PASSWORD);
        String token = WebSession.parse(member.postJson("/api/v1/me/tokens", Map.of("name", "script")).body()).path("token").asText();
        long before = AuditedRows.lastSeq(portal);
        portal.clock.advance(Duration.ofDays(13)); // 2027-02-16
        admin = portal.admin();
        portal.bean(Licensing.class).evaluate();

        assertProblem(admin.putJson("/api/v1/admin/users/" + second + "/roles", Map.of("roleIds", List.of())), 403, "license-read-only");
        var refused = admin.postJson("/api/v1/admin/users/" + second + "/disable", Map.of());
        assertProblem(refused, 403, "license-read-only");
        assertThat(WebSession.parse(refused.body()).path("detail").asText()).contains("grace period ended on 2027-02-15", "Upload a renewed license");
        assertThat(status(second)).isEqualTo("ACTIVE");
        assertThat(admin.get("/api/v1/admin/users").statusCode()).isEqualTo(200);
        assertThat(license(admin).path("readOnly").asBoolean()).isTrue();
        assertThat(admin.get("/admin/users", "Accept", "text/html").body()).contains("license-banner", "read-only");

        model.enqueue(ScriptedModelServer.text("Still here."));
        var chat = portal.browser().postJson("/v1/chat/completions", Map.of("model", "model-a",
                "messages", List.of(Map.of("role", "user", "content", "Hello"))), "Authorization", "Bearer " + token);
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(chat.body()).contains("Still here.");

        var engaged = admin.postJson("/api/v1/admin/kill-switch/engage", Map.of("scope", "GLOBAL", "reason", "drill"));
        assertThat(engaged.statusCode()).as(engaged.body()).isEqualTo(200);
        assertThat(admin.postJson("/api/v1/admin/kill-switch/release", Map.of("scope", "GLOBAL", "reason", "drill over")).statusCode()).isEqualTo(200);

        var changed = AuditedRows.only(portal, before, "license.state_changed");
        assertThat(changed.detail("before")).isEqualTo("GRACE");
        assertThat(changed.detail("after")).isEqualTo("READ_ONLY");
    }

    @Test
    @Order(6)
    void anInvalidUploadIsRefusedWithTheReasonAndChangesNothing() {
        var garbage = admin.putJson("/api/v1/admin/license", Map.of("hello", "world"));
        assertProblem(garbage, 400, "license-invalid");
        assertThat(WebSession.parse(garbage.body()).path("detail").asText()).contains("not a Gatehouse license file");

        var stranger = admin.putJson("/api/v1/admin/license",
                WebSession.parse(LicenseFixtures.file(LicenseFixtures.STRANGER, "FAKE", 999, "2099-01-01")));
        assertProblem(stranger, 400, "license-invalid");
        assertThat(WebSession.parse(stranger.body()).path("detail").asText()).contains("does not verify with any trusted key");
        assertThat(license(admin).path("licenseId").asText()).isEqualTo("ACME-1");
    }

    @Test
    @Order(7)
    void uploadingARenewedLicenseLiftsReadOnlyAtOnceAndIsAudited() {
        long before = AuditedRows.lastSeq(portal);

        var uploaded = admin.putJson("/api/v1/admin/license", WebSession.parse(LicenseFixtures.file(VENDOR, "ACME-2", 3, "2028-02-01")));

        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        var license = WebSession.parse(uploaded.body());
        assertThat(license.path("status").asText()).isEqualTo("VALID");
        assertThat(license.path("source").asText()).isEqualTo("upload");
        assertThat(license.path("uploadedBy").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(license.path("seatsLicensed").asInt()).isEqualTo(3);
        var row = AuditedRows.only(portal, before, "license.uploaded");
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.targetId()).isEqualTo("ACME-2");
        assertThat(AuditedRows.only(portal, before, "license.state_changed").detail("after")).isEqualTo("VALID");
        assertThat(license.path("signedBy").asText()).isEqualTo("configured-key");
        assertThat(row.detail("signed_by")).isEqualTo("configured-key");
        assertThat(admin.postJson("/api/v1/admin/users/" + first + "/enable", Map.of()).statusCode()).isEqualTo(200);
        // Only the configured-key line is left of the banner: the read-only message is gone.
        assertThat(banner(admin.get("/admin/users", "Accept", "text/html").body())).isEqualTo(LicenseStatus.CONFIGURED_KEY_WARNING + " License");
    }

    @Test
    @Order(8)
    void membersCannotSeeOrChangeTheLicense() {
        WebSession member = portal.signedIn("second@example.test", PASSWORD);

        assertProblem(member.get("/api/v1/admin/license"), 403, "forbidden");
        assertProblem(member.putJson("/api/v1/admin/license", Map.of("format", "x")), 403, "forbidden");
        assertProblem(portal.browser().get("/api/v1/admin/license"), 401, "unauthenticated");
        assertThat(member.get("/admin/license", "Accept", "text/html").statusCode()).isEqualTo(403);
        assertThat(admin.get("/admin/license", "Accept", "text/html").body()).contains("license.js", "Upload a license");
    }
}
