package io.gatehouse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.ChainVerifier;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * admin-reset through OpsMain beside a running portal, on the portal's own PostgreSQL: the locked-out admin gets back
 * in with the printed password and must set up MFA again; what they held before stops working; the chain holds.
 */
class AdminResetTest {

    private static final String PASSWORD = "a long enough passphrase for tests";
    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aLockedOutAdminWithMfaGetsBackInWithThePrintedPasswordAndMustEnrolAgain() throws Exception {
        String email = person("locked", true, "ACTIVE");
        WebSession laptop = portal.signedIn(email, PASSWORD); // sets up MFA: admins must
        String usedToken = token(laptop, "used");
        String idleToken = token(laptop, "idle");
        assertThat(bearer(usedToken)).isEqualTo(200); // now cached on this node
        portal.authenticator.forget(email); // the phone is lost
        for (int i = 0; i < 5; i++) {
            signIn(email, "wrong password number " + i);
        }
        assertThat(signIn(email, PASSWORD).statusCode()).as("locked out").isEqualTo(429);
        long seq = AuditedRows.lastSeq(portal);

        Run reset = ops("admin-reset", "--email", email.toUpperCase());

        assertThat(reset.code).as(reset.err).isZero();
        List<String> lines = reset.out.lines().toList();
        assertThat(lines.getLast()).startsWith("password: ");
        String newPassword = lines.getLast().substring("password: ".length());
        assertThat(newPassword).hasSizeGreaterThanOrEqualTo(12).isNotEqualTo(PASSWORD);
        assertThat(reset.out).contains("1 sessions ended, 2 API tokens revoked");

        assertThat(laptop.get("/api/v1/me").statusCode()).as("sessions end at once").isEqualTo(401);
        assertThat(bearer(idleToken)).isEqualTo(401);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> bearer(usedToken) == 401); // the node's 5 s token cache

        // The failed-sign-in counter lives in the running portal's memory: the lock lasts its 15 minutes (or a restart).
        assertThat(signIn(email, newPassword).statusCode()).isEqualTo(429);
        portal.clock.advance(Duration.ofMinutes(16));
        assertThat(signIn(email, PASSWORD).statusCode()).as("the old password is gone").isEqualTo(401);
        WebSession back = portal.browser();
        HttpResponse<String> login = back.postJson("/api/v1/auth/login", Map.of("email", email, "password", newPassword));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(WebSession.parse(login.body()).path("access").asText()).isEqualTo("MFA_ENROLMENT");
        portal.authenticator.enrol(back, email);
        assertThat(back.get("/api/v1/admin/providers").statusCode()).isEqualTo(200);

        AuditedRows.Row row = AuditedRows.only(portal, seq, "admin.break_glass_reset");
        assertThat(row.actorId()).isNull();
        assertThat(row.actorEmail()).isEqualTo("installer");
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.targetId()).isEqualTo(AuditedRows.userId(portal, email).toString());
        assertThat(row.detail("email")).isEqualTo(email);
        assertThat(row.detail("mfa_removed")).isEqualTo("true");
        assertThat(row.detail("sessions_ended")).isEqualTo("1");
        assertThat(row.detail("tokens_revoked")).isEqualTo("2");
        assertThat(row.details().toString()).doesNotContain(newPassword);
        ChainVerifier.Verification chain = portal.bean(ChainVerifier.class).verify();
        assertThat(chain.intact()).isTrue();
        assertThat(chain.lastSeq()).isGreaterThanOrEqualTo(row.seq());
    }

    @Test
    void aDisabledMemberBecomesAnActiveAdmin() throws Exception {
        String email = person("disabled", false, "DISABLED");

        Run reset = ops("admin-reset", "--email", email);

        assertThat(reset.code).as(reset.err).isZero();
        try (var sql = portal.sql(); var q = sql.prepareStatement("""
                select status, admin, totp_enabled_at,
                       exists (select 1 from user_roles where user_id = users.id and role_id = '00000000-0000-0000-0000-00000000a001')
                from users where lower(email) = lower(?)""")) {
            q.setString(1, email);
            ResultSet row = q.executeQuery();
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("ACTIVE");
            assertThat(row.getBoolean(2)).isTrue();
            assertThat(row.getObject(3)).isNull();
            assertThat(row.getBoolean(4)).as("holds the Admin role").isTrue();
        }
        String password = reset.out.lines().toList().getLast().substring("password: ".length());
        HttpResponse<String> login = signIn(email, password);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(login.body()).path("access").asText()).isEqualTo("MFA_ENROLMENT");
    }

    @Test
    void anUnknownEmailIsRefusedNamingNoOtherAccount() {
        long seq = AuditedRows.lastSeq(portal);

        Run reset = ops("admin-reset", "--email", "nobody@example.test");

        assertThat(reset.code).isEqualTo(1);
        assertThat(reset.out).isEmpty();
        assertThat(reset.err.strip()).doesNotContain("\n")
                .startsWith("No account has the email address nobody@example.test;")
                .doesNotContain(TestPortal.ADMIN_EMAIL);
        assertThat(AuditedRows.since(portal, seq, "admin.break_glass_reset")).isEmpty();
    }

    @Test
    void withoutItsAuditRowNothingChanges() throws Exception {
        String email = person("unaudited", true, "ACTIVE");
        WebSession session = portal.signedIn(email, PASSWORD);

        Run reset;
        try (AutoCloseable refusing = AuditedRows.refusing(portal, "admin.break_glass_reset")) {
            reset = ops("admin-reset", "--email", email);
        }

        assertThat(reset.code).isEqualTo(1);
        assertThat(reset.err).startsWith("The audit trail could not be written, so nothing was changed");
        assertThat(reset.out).doesNotContain("password:");
        assertThat(session.get("/api/v1/me").statusCode()).isEqualTo(200);
        portal.signedIn(email, PASSWORD); // same password, still asked for its code
    }

    /** As the installer runs it (its own JVM, environment variables): the password is stdout's last line, logs are not on stdout. */
    @Test
    void inItsOwnProcessThePasswordIsTheLastLineOfStdout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String email = person("process", true, "ACTIVE");
        ProcessBuilder builder = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpsMain.class.getName(), "admin-reset", "--email", email);
        builder.environment().clear();
        builder.environment().putAll(environment());
        builder.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(java.nio.file.Files.readString(dir.resolve("stderr"))).isZero();
        List<String> stdout = java.nio.file.Files.readAllLines(dir.resolve("stdout"));
        assertThat(stdout).hasSize(3);
        assertThat(stdout.getFirst()).startsWith("Reset " + email + ": admin, active");
        String password = stdout.getLast().substring("password: ".length());
        assertThat(WebSession.parse(signIn(email, password).body()).path("access").asText()).isEqualTo("MFA_ENROLMENT");
    }

    private static String person(String name, boolean admin, String status) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        portal.bean(UserAccounts.class).createLocal(email, name, PASSWORD, admin, status);
        return email;
    }

    private static HttpResponse<String> signIn(String email, String password) {
        return portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", password));
    }

    private static String token(WebSession session, String name) {
        HttpResponse<String> created = session.postJson("/api/v1/me/tokens", Map.of("name", name));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return WebSession.parse(created.body()).path("token").asText();
    }

    private static int bearer(String token) {
        return portal.browser().get("/v1/models", "Authorization", "Bearer " + token).statusCode();
    }

    record Run(int code, String out, String err) {
    }

    /** OpsMain with the environment the portal was started with (its database, data directory and so master key). */
    private static Run ops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OpsMain.run(environment(), portal.clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> environment() {
        var properties = portal.running().context().getEnvironment();
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_DATABASE_URL", properties.getRequiredProperty("gatehouse.database.owner-url", String.class));
        env.put("GATEHOUSE_DATABASE_USER", properties.getRequiredProperty("gatehouse.database.owner-user", String.class));
        env.put("GATEHOUSE_DATA_DIR", portal.dataDir().toString());
        env.put("GATEHOUSE_MONGODB_URI", properties.getRequiredProperty("gatehouse.mongodb.uri", String.class));
        return env;
    }
}
