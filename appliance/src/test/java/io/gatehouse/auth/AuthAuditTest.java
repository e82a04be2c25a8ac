package io.gatehouse.auth;

import io.gatehouse.testing.AuditedRows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing in and out, tokens, sessions and passwords leave rows in the audit trail; a sign-in that cannot be recorded is refused. */
class AuthAuditTest {

    private static final String PASSWORD = "an audited member's passphrase";
    static TestPortal portal;
    static AuditRows audit;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        audit = new AuditRows(portal);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static UUID member(String name) {
        return portal.bean(UserAccounts.class).createLocal(name + "@example.test", name, PASSWORD, false).id();
    }

    @Test
    void theBootstrapAdminIsRecordedAsCreatedByTheEnvironment() {
        AuditedRows.Row created = audit.only(0, "auth.first_admin_created");

        assertThat(created.outcome()).isEqualTo("SUCCESS");
        assertThat(created.targetType()).isEqualTo("user");
        assertThat(created.detail("source")).isEqualTo("environment");
        assertThat(created.detail("email")).isEqualTo(TestPortal.ADMIN_EMAIL);
    }

    @Test
    void aSignInIsRecordedWithWhoFromWhereAndHow() {
        UUID id = member("dana");
        long mark = audit.mark();

        HttpResponse<String> login = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", "  Dana@Example.test ", "password", PASSWORD), "User-Agent", "audit-test/1.0");

        assertThat(login.statusCode()).isEqualTo(200);
        AuditedRows.Row row = audit.only(mark, "auth.sign_in").from(login);
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(id);
        assertThat(row.actorEmail()).as("the email as typed, trimmed").isEqualTo("Dana@Example.test");
        assertThat(row.targetType()).isEqualTo("user");
        assertThat(row.targetId()).isEqualTo(id.toString());
        assertThat(row.ip()).isEqualTo("127.0.0.1");
        assertThat(row.userAgent()).isEqualTo("audit-test/1.0");
        assertThat(row.detail("method")).isEqualTo("password");
        assertThat(row.detail("stage")).isEqualTo("FULL");
    }

    @Test
    void wrongPasswordsAreDeniedRowsWithTheirReasonAndThePasswordIsStoredNowhere() {
        UUID id = member("erin");
        String guess = "Guess-" + UUID.randomUUID();
        long mark = audit.mark();

        HttpResponse<String> wrong = portal.browser().postJson("/api/v1/auth/login", Map.of("email", "erin@example.test", "password", guess));
        HttpResponse<String> unknown = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", "nobody-here@example.test", "password", guess));

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).as("the client cannot tell the two apart").isEqualTo(unknown.body());
        var rows = audit.since(mark, "auth.sign_in");
        assertThat(rows).hasSize(2);
        AuditedRows.Row denied = rows.get(0).from(wrong);
        assertThat(denied.outcome()).isEqualTo("DENIED");
        assertThat(denied.actorId()).isEqualTo(id);
        assertThat(denied.actorEmail()).isEqualTo("erin@example.test");
        assertThat(denied.detail("reason")).isEqualTo("wrong_password");
        AuditedRows.Row nobody = rows.get(1).from(unknown);
        assertThat(nobody.outcome()).isEqualTo("DENIED");
        assertThat(nobody.actorId()).isNull();
        assertThat(nobody.actorEmail()).isEqualTo("nobody-here@example.test");
        assertThat(nobody.detail("reason")).as("only the admin's trail says so").isEqualTo("unknown_account");
        assertThat(audit.containing(guess)).isZero();
    }

    @Test
    void tokensSessionsPasswordChangesAndSignOutAreRecordedWithoutTheirSecrets() {
        UUID id = member("fay");
        WebSession laptop = portal.signedIn("fay@example.test", PASSWORD);
        WebSession phone = portal.signedIn("fay@example.test", PASSWORD);
        long mark = audit.mark();

        HttpResponse<String> created = laptop.postJson("/api/v1/me/tokens", Map.of("name", "reports"));
        JsonNode token = WebSession.parse(created.body());
        AuditedRows.Row tokenCreated = audit.only(mark, "auth.token_created").from(created);
        assertThat(tokenCreated.actorId()).isEqualTo(id);
        assertThat(tokenCreated.targetType()).isEqualTo("api_token");
        assertThat(tokenCreated.targetId()).isEqualTo(token.path("id").asText());
        assertThat(tokenCreated.detail("name")).isEqualTo("reports");
        assertThat(audit.containing(token.path("token").asText())).isZero();

        HttpResponse<String> revoked = laptop.delete("/api/v1/me/tokens/" + token.path("id").asText());
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(audit.only(mark, "auth.token_revoked").from(revoked).targetId()).isEqualTo(token.path("id").asText());

        String phoneSession = null;
        for (JsonNode session : WebSession.parse(laptop.get("/api/v1/me/sessions").body())) {
            if (!session.path("current").asBoolean()) {
                phoneSession = session.path("id").asText();
            }
        }
        HttpResponse<String> ended = laptop.delete("/api/v1/me/sessions/" + phoneSession);
        AuditedRows.Row sessionEnded = audit.only(mark, "auth.session_ended").from(ended);
        assertThat(sessionEnded.targetId()).isEqualTo(phoneSession);
        assertThat(sessionEnded.detail("by")).isEqualTo("owner");
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(401);

        String newPassword = "fay's brand new passphrase " + UUID.randomUUID();
        HttpResponse<String> wrongCurrent = laptop.postJson("/api/v1/me/password",
                Map.of("currentPassword", "not it at all", "newPassword", newPassword));
        HttpResponse<String> changed = laptop.postJson("/api/v1/me/password", Map.of("currentPassword", PASSWORD, "newPassword", newPassword));
        assertThat(wrongCurrent.statusCode()).isEqualTo(400);
        assertThat(changed.statusCode()).isEqualTo(200);
        var passwordRows = audit.since(mark, "auth.password_changed");
        assertThat(passwordRows).hasSize(2);
        assertThat(passwordRows.get(0).from(wrongCurrent).outcome()).isEqualTo("DENIED");
        assertThat(passwordRows.get(0).detail("reason")).isEqualTo("wrong_password");
        assertThat(passwordRows.get(1).from(changed).outcome()).isEqualTo("SUCCESS");
        assertThat(passwordRows.get(1).targetId()).isEqualTo(id.toString());
        assertThat(audit.containing(newPassword)).isZero();
        assertThat(audit.containing("not it at all")).isZero();

        HttpResponse<String> out = laptop.postJson("/api/v1/auth/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(204);
        AuditedRows.Row signOut = audit.only(mark, "auth.sign_out").from(out);
        assertThat(signOut.actorId()).isEqualTo(id);
        assertThat(signOut.targetType()).isEqualTo("session");
    }

    @Test
    void aCorrectSignInIsRefusedWith503AndOpensNoSessionWhenItsAuditRowCannotBeWritten() throws SQLException {
        UUID id = member("gus");
        long before = sessionsOf(id);

        AtomicReference<HttpResponse<String>> login = new AtomicReference<>();
        audit.whileUnwritable(() -> login.set(portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", "gus@example.test", "password", PASSWORD))));

        assertThat(login.get().statusCode()).isEqualTo(503);
        assertThat(WebSession.parse(login.get().body()).path("type").asText()).endsWith("audit-unavailable");
        assertThat(login.get().headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("gh_session="));
        assertThat(sessionsOf(id)).isEqualTo(before);
        // Once the trail can be written again, so can the sign-in.
        assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", "gus@example.test", "password", PASSWORD))
                .statusCode()).isEqualTo(200);
        assertThat(sessionsOf(id)).isEqualTo(before + 1);
    }

    private static long sessionsOf(UUID userId) throws SQLException {
        try (Connection c = portal.sql(); PreparedStatement q = c.prepareStatement("select count(*) from sessions where user_id = ?")) {
            q.setObject(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
