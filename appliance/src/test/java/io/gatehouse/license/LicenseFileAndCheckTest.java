package io.gatehouse.license;

import static io.gatehouse.license.LicenseFixtures.VENDOR;
import static io.gatehouse.license.LicenseFixtures.assertProblem;
import static io.gatehouse.license.LicenseFixtures.license;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A tampered, foreign or deleted license file, a fresh installation without one, and the online check against a local
 * license server.
 */
class LicenseFileAndCheckTest {

    private static final String ROLE_CHANGE = "/api/v1/admin/roles";

    @Test
    void aTamperedOrForeignLicenseFileMakesAdministrationReadOnlyUntilAGoodOneIsInPlace() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-license-file");
        Path file = dir.resolve("license.lic");
        String good = LicenseFixtures.file(VENDOR, "ACME-9", 10, "2027-06-30");
        JsonNode parsed = WebSession.parse(good);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parsed.path("payload").asText()), StandardCharsets.UTF_8)
                .replace("\"seats\":10", "\"seats\":99");
        LicenseFixtures.write(file, good.replace(parsed.path("payload").asText(),
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))));
        try (TestPortal portal = TestPortal.start(Map.of("GATEHOUSE_LICENSE_FILE", file.toString(),
                "GATEHOUSE_LICENSE_PUBLIC_KEYS", LicenseFixtures.trustedKey()))) {
            WebSession admin = portal.admin();

            var tampered = license(admin);
            assertThat(tampered.path("status").asText()).isEqualTo("READ_ONLY");
            assertThat(tampered.path("message").asText()).contains("does not verify with any trusted key");
            assertProblem(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")), 403, "license-read-only");
            assertThat(admin.get(ROLE_CHANGE).statusCode()).isEqualTo(200);

            LicenseFixtures.write(file, LicenseFixtures.file(LicenseFixtures.STRANGER, "ACME-9", 10, "2027-06-30"));
            var foreign = WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body());
            assertThat(foreign.path("status").asText()).isEqualTo("READ_ONLY");
            assertThat(foreign.path("message").asText()).contains("does not verify with any trusted key");
            assertProblem(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")), 403, "license-read-only");

            LicenseFixtures.write(file, good);
            assertThat(WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body()).path("status").asText()).isEqualTo("VALID");
            assertThat(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")).statusCode()).isNotEqualTo(403);
        } finally {
            io.gatehouse.testing.SharedPostgres.deleteRecursively(dir);
        }
    }

    @Test
    void deletingTheLicenseFileAfterItVerifiedMakesAdministrationReadOnlyUntilALicenseIsBack() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-license-gone");
        Path file = dir.resolve("license.lic");
        String good = LicenseFixtures.file(VENDOR, "ACME-7", 10, "2027-06-30");
        LicenseFixtures.write(file, good);
        ListAppender<ILoggingEvent> log = capture();
        try (TestPortal portal = TestPortal.start(Map.of("GATEHOUSE_LICENSE_FILE", file.toString(),
                "GATEHOUSE_LICENSE_PUBLIC_KEYS", LicenseFixtures.trustedKey()))) {
            assertThat(log.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("GATEHOUSE_LICENSE_PUBLIC_KEYS adds 1 license-signing key(s)", "for testing only");
            });
            WebSession admin = portal.admin();
            assertThat(license(admin).path("status").asText()).isEqualTo("VALID");

            Files.delete(file);
            var gone = WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body());
            assertThat(gone.path("status").asText()).isEqualTo("READ_ONLY");
            assertThat(gone.path("message").asText())
                    .startsWith("The license file that was installed (id ACME-7) is gone: put it back or upload a license.")
                    .contains(file.toString());
            assertThat(gone.path("licenseId").isNull()).isTrue();
            var refused = admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x"));
            assertProblem(refused, 403, "license-read-only");
            assertThat(WebSession.parse(refused.body()).path("detail").asText()).contains("(id ACME-7) is gone");
            // Another node (or a restart) reads the same history from the database: no evaluation there either.
            try (TestPortal second = portal.secondNode()) {
                assertThat(second.bean(Licensing.class).status().state()).isEqualTo(LicenseStatus.State.READ_ONLY);
            }

            LicenseFixtures.write(file, good);
            assertThat(WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body()).path("status").asText()).isEqualTo("VALID");
            assertThat(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")).statusCode()).isNotEqualTo(403);

            Files.delete(file);
            assertThat(WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body()).path("status").asText()).isEqualTo("READ_ONLY");
            var uploaded = admin.putJson("/api/v1/admin/license", WebSession.parse(LicenseFixtures.file(VENDOR, "ACME-8", 10, "2027-06-30")));
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            assertThat(WebSession.parse(uploaded.body()).path("status").asText()).isEqualTo("VALID");
            assertThat(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors 2", "description", "x")).statusCode()).isNotEqualTo(403);
        } finally {
            release(log);
            io.gatehouse.testing.SharedPostgres.deleteRecursively(dir);
        }
    }

    @Test
    void aFreshInstallationThatNeverHadALicenseIsEvaluationAndTrustsNoExtraKey() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-license-none");
        ListAppender<ILoggingEvent> log = capture();
        try (TestPortal portal = TestPortal.start(Map.of("GATEHOUSE_LICENSE_FILE", dir.resolve("license.lic").toString()))) {
            WebSession admin = portal.admin();

            var none = license(admin);
            assertThat(none.path("status").asText()).isEqualTo("EVALUATION");
            assertThat(none.path("readOnly").asBoolean()).isFalse();
            assertThat(none.path("signedBy").isNull()).isTrue();
            assertThat(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")).statusCode()).isNotEqualTo(403);
            assertThat(log.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("GATEHOUSE_LICENSE_PUBLIC_KEYS"));
            // Without GATEHOUSE_LICENSE_PUBLIC_KEYS the test key is trusted by nothing.
            assertProblem(admin.putJson("/api/v1/admin/license", WebSession.parse(LicenseFixtures.file(VENDOR, "ACME-1", 10, "2027-06-30"))),
                    400, "license-invalid");
        } finally {
            release(log);
            io.gatehouse.testing.SharedPostgres.deleteRecursively(dir);
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Licensing.class).addAppender(captured);
        return captured;
    }

    private static void release(ListAppender<ILoggingEvent> captured) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Licensing.class).detachAppender(captured);
    }

    @Test
    void theOnlineCheckSendsOnlyThreeFieldsAndRevocationOrLongSilenceMakeAdministrationReadOnly() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-license-check");
        Path file = dir.resolve("license.lic");
        LicenseFixtures.write(file, LicenseFixtures.file(VENDOR, "ACME-5", 10, "2028-06-30"));
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicReference<String> answer = new AtomicReference<>("{\"status\":\"valid\"}");
        AtomicReference<Integer> code = new AtomicReference<>(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/check", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code.get(), reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        String applianceId = "3f6c1d2e-8a4b-4c7d-9e0f-123456789abc";
        try (TestPortal portal = TestPortal.start(Map.of("GATEHOUSE_LICENSE_FILE", file.toString(),
                "GATEHOUSE_LICENSE_PUBLIC_KEYS", LicenseFixtures.trustedKey(), "GATEHOUSE_APPLIANCE_ID", applianceId,
                "GATEHOUSE_LICENSE_CHECK_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/check"))) {
            // The check at start runs off the startup path: wait for it to arrive.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !bodies.isEmpty());
            JsonNode sent = WebSession.parse(bodies.get(0));
            assertThat(sent.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("licenseId", "applianceId", "seatsInUse");
            assertThat(sent.path("licenseId").asText()).isEqualTo("ACME-5");
            assertThat(sent.path("applianceId").asText()).isEqualTo(applianceId);
            assertThat(sent.path("seatsInUse").isIntegralNumber()).isTrue(); // at start the bootstrap admin may not exist yet
            WebSession admin = portal.admin();
            var valid = license(admin);
            assertThat(valid.path("status").asText()).isEqualTo("VALID");
            assertThat(valid.path("onlineCheck").path("enabled").asBoolean()).isTrue();
            assertThat(valid.path("onlineCheck").path("lastAnswerAt").isNull()).isFalse();

            answer.set("{\"status\":\"revoked\",\"message\":\"Contract ended\"}");
            var revoked = WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body());
            assertThat(revoked.path("status").asText()).isEqualTo("READ_ONLY");
            assertThat(revoked.path("message").asText()).contains("revoked", "Contract ended");
            assertThat(WebSession.parse(bodies.getLast()).path("seatsInUse").asInt()).isEqualTo(1);
            assertProblem(admin.postJson(ROLE_CHANGE, Map.of("name", "Auditors", "description", "x")), 403, "license-read-only");

            answer.set("{\"status\":\"valid\"}");
            assertThat(WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body()).path("status").asText()).isEqualTo("VALID");

            code.set(503);
            portal.clock.advance(Duration.ofDays(10));
            admin = portal.admin();
            var unreachable = WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body());
            assertThat(unreachable.path("status").asText()).isEqualTo("VALID");
            assertThat(unreachable.path("onlineCheck").path("lastError").asText()).contains("HTTP 503");

            portal.clock.advance(Duration.ofDays(5));
            admin = portal.admin();
            var silent = WebSession.parse(admin.postJson("/api/v1/admin/license/check", Map.of()).body());
            assertThat(silent.path("status").asText()).isEqualTo("READ_ONLY");
            assertThat(silent.path("message").asText()).contains("has not been reached for more than 14 days");
            assertThat(bodies).allSatisfy(body -> assertThat(WebSession.parse(body).size()).isEqualTo(3));
        } finally {
            server.stop(0);
            io.gatehouse.testing.SharedPostgres.deleteRecursively(dir);
        }
    }
}
