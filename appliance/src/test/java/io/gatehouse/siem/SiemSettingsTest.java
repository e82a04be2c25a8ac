package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.secret.SecretBox;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SIEM settings API and page: admins only, validated, audited before saving, the Authorization value sealed. */
class SiemSettingsTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static TestPortal portal;
    private static WebSession admin;
    private static WebSession member;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        portal.bean(UserAccounts.class).createLocal("member@example.test", null, PASSWORD, false);
        member = portal.signedIn("member@example.test", PASSWORD);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = WebSession.parse(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
        if (field != null) {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
    }

    private static JsonNode settings() {
        return WebSession.parse(admin.get("/api/v1/admin/siem").body()).path("settings");
    }

    private static HttpResponse<String> put(Map<String, Object> form) {
        return admin.putJson("/api/v1/admin/siem", form);
    }

    private static Map<String, Object> http(String url) {
        Map<String, Object> form = new HashMap<>();
        form.put("enabled", false);
        form.put("transport", "HTTP");
        form.put("url", url);
        return form;
    }

    private static String lastAuditDetails(String action) throws SQLException {
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select details from audit_events where action = '" + action + "' order by seq desc limit 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void withoutASessionTheApiAnswers401AndThePageSendsToSignIn() {
        assertProblem(portal.browser().get("/api/v1/admin/siem"), 401, "unauthenticated", null);
        assertProblem(portal.browser().putJson("/api/v1/admin/siem", http("http://127.0.0.1:9/x")), 401, "unauthenticated", null);
        HttpResponse<String> page = portal.browser().get("/admin/siem", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
    }

    @Test
    void aMemberGets403EverywhereAndChangesNothing() {
        JsonNode before = settings();
        assertProblem(member.get("/api/v1/admin/siem"), 403, "forbidden", null);
        assertProblem(member.putJson("/api/v1/admin/siem", http("http://127.0.0.1:9/member")), 403, "forbidden", null);
        assertProblem(member.postJson("/api/v1/admin/siem/test", Map.of()), 403, "forbidden", null);
        assertThat(member.get("/admin/siem", "Accept", "text/html").statusCode()).isEqualTo(403);
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void thePageRendersForAnAdminWithItsScript() {
        HttpResponse<String> page = admin.get("/admin/siem", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>SIEM export</h1>").contains("/static/siem.js").contains("href=\"/admin/siem\" class=\"active\"");
        assertThat(admin.get("/static/siem.js").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "null", value = {
        "transport, null, transport",
        "transport, UDP, transport",
        "url, null, url",
        "url, ftp://siem.example.com/in, url",
        "url, https://admin:pw@siem.example.com/in, url",
        "url, not a url, url",
        "host, siem .example.com, host",
        "host, null, host",
        "port, 0, port",
        "port, 70000, port",
        "batchSize, 0, batchSize",
        "batchSize, 5000, batchSize",
        "authorization, 'Bearer x\u0007', authorization"})
    void invalidSettingsAreRefusedWithTheFieldNamedAndNothingChanges(String field, String value, String reported) {
        JsonNode before = settings();
        Map<String, Object> form = field.equals("host") || field.equals("port")
                ? new HashMap<>(Map.of("enabled", true, "transport", "SYSLOG_TCP", "host", "siem.example.com", "port", 601))
                : http("https://siem.example.com/in");
        form.put("enabled", true);
        form.put(field, field.equals("port") || field.equals("batchSize") ? (Object) (value == null ? null : Integer.valueOf(value)) : value);
        assertProblem(put(form), 400, "invalid-siem-settings", reported);
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void theAuthorizationValueIsStoredSealedNeverShownNorAuditedAndCanBeKeptOrRemoved() throws SQLException {
        String secret = "Bearer very-secret-siem-token-0042";
        Map<String, Object> form = http("https://siem.example.com:8088/services/collector?channel=abc");
        form.put("authorization", secret);
        HttpResponse<String> saved = put(form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain("very-secret");
        assertThat(WebSession.parse(saved.body()).path("settings").path("authorizationSet").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/admin/siem").body()).doesNotContain("very-secret");

        byte[] cipher;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select authorization_cipher, row_to_json(t)::text from siem_settings t")) {
            rs.next();
            cipher = rs.getBytes(1);
            assertThat(new String(cipher, StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
            assertThat(rs.getString(2)).doesNotContain("very-secret");
        }
        assertThat(portal.bean(SecretBox.class).open(cipher, SiemSettings.AUTHORIZATION_CONTEXT)).isEqualTo(secret);

        String details = lastAuditDetails("siem.updated");
        assertThat(details).doesNotContain("very-secret").doesNotContain("channel=abc")
                .contains("\"authorization\":\"set\"").contains("\"destination\":\"https://siem.example.com:8088\"");

        form.remove("authorization");
        put(form);
        assertThat(lastAuditDetails("siem.updated")).contains("\"authorization\":\"kept\"");
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select authorization_cipher from siem_settings")) {
            rs.next();
            assertThat(rs.getBytes(1)).isEqualTo(cipher);
        }

        form.put("clearAuthorization", true);
        assertThat(WebSession.parse(put(form).body()).path("settings").path("authorizationSet").asBoolean()).isFalse();
        assertThat(lastAuditDetails("siem.updated")).contains("\"authorization\":\"removed\"").contains("\"changed\":[\"authorization\"]");
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select authorization_cipher from siem_settings")) {
            rs.next();
            assertThat(rs.getBytes(1)).isNull();
        }
    }

    @Test
    void aChangeIsAuditedWithWhoAndWhatChanged() throws SQLException {
        put(http("https://siem.example.com/before"));
        Map<String, Object> form = new HashMap<>(Map.of("enabled", false, "transport", "SYSLOG_TCP", "host", "Logs.Example.com", "port", 6514,
                "batchSize", 250));
        JsonNode saved = WebSession.parse(put(form).body()).path("settings");
        assertThat(saved.path("host").asText()).isEqualTo("logs.example.com");
        assertThat(saved.path("port").asInt()).isEqualTo(6514);
        assertThat(saved.path("url").isNull()).isTrue();
        assertThat(saved.path("updatedBy").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select actor_email, target_type, details from audit_events where action = 'siem.updated'"
                     + " order by seq desc limit 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(TestPortal.ADMIN_EMAIL);
            assertThat(rs.getString(2)).isEqualTo("siem_settings");
            assertThat(rs.getString(3)).contains("\"transport\":\"SYSLOG_TCP\"").contains("\"destination\":\"syslog+tcp://logs.example.com:6514\"")
                    .contains("\"changed\":[\"transport\",\"url\",\"host\",\"batchSize\"]");
        }
    }

    @Test
    void whenTheAuditRowCannotBeWrittenTheChangeIsRefusedAndNothingIsSaved() throws SQLException {
        put(http("https://siem.example.com/kept"));
        JsonNode before = settings();
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                assertProblem(put(http("https://siem.example.com/changed")), 503, "audit-unavailable", null);
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void aTestEventNeedsASavedCollector() throws SQLException {
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.executeUpdate("update siem_settings set transport = 'HTTP', url = null, enabled = false");
        }
        assertProblem(admin.postJson("/api/v1/admin/siem/test", Map.of()), 409, "siem-not-configured", null);
    }
}
