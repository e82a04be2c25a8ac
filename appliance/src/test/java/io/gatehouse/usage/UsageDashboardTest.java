package io.gatehouse.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.access.RoleRepository;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The usage API sums model-call records by person, role, model and calendar day of the installation's time zone
 * (Europe/Berlin here, so a call at 23:30 UTC belongs to the next day), lists the calls newest first, and records
 * every look at them in the audit trail.
 */
class UsageDashboardTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static final byte[] FINGERPRINT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    static TestPortal portal;
    static WebSession admin;
    static UUID ana;
    static UUID ben;
    static UUID cy;
    static UUID financeRole;
    static UUID analystRole;
    static Map<String, UUID> calls = new HashMap<>();

    @BeforeAll
    static void start() throws SQLException {
        portal = TestPortal.start(Map.of("GATEHOUSE_TIME_ZONE", "Europe/Berlin")); // its clock: 2026-11-25T09:00Z
        admin = portal.admin();
        HttpResponse<String> finance = admin.postJson("/api/v1/admin/roles", Map.of("name", "Finance", "description", "Invoices"));
        financeRole = UUID.fromString(WebSession.parse(finance.body()).path("id").asText());
        analystRole = portal.bean(RoleRepository.class).findByNameIgnoreCase("Analyst").orElseThrow().id();
        ana = person("ana@example.test", analystRole, financeRole);
        ben = person("ben@example.test", analystRole);
        cy = person("cy@example.test");
        try (Connection c = portal.sql(); Statement s = c.createStatement()) {
            // Ana holds Finance twice over (by hand and through an IdP group): her calls still count once for it.
            s.execute("insert into user_roles (user_id, role_id, source) values ('" + ana + "', '" + financeRole + "', 'GROUP')");
        }
        call("ana-1", ana, "ana@example.test", "gpt-a", "2026-11-03T10:00:00Z", 100, 50, "0.001", "SUCCESS");
        call("ana-2", ana, "ana@example.test", "gpt-b", "2026-11-03T23:30:00Z", 200, 100, "0.002", "FAILURE"); // Berlin: 4 Nov
        call("ben-1", ben, "ben@example.test", "gpt-a", "2026-11-04T08:00:00Z", 300, 0, "0.003", "SUCCESS");
        call("cy-late", cy, "cy@example.test", "gpt-a", "2026-11-30T23:30:00Z", 1000, 1000, "1", "SUCCESS"); // Berlin: 1 Dec
        call("cy-early", cy, "cy@example.test", "gpt-b", "2026-10-31T23:30:00Z", 10, 10, "0.0001", "SUCCESS"); // Berlin: 1 Nov
        call("ben-october", ben, "ben@example.test", "gpt-b", "2026-10-15T12:00:00Z", 5000, 5000, "5", "SUCCESS");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void theSummarySumsThisMonthByPersonRoleModelAndDayInTheInstallationsTimeZone() throws SQLException {
        long viewsBefore = usageViews();

        JsonNode summary = json(admin.get("/api/v1/admin/usage"));

        assertThat(summary.path("from").asText()).isEqualTo("2026-11-01");
        assertThat(summary.path("to").asText()).isEqualTo("2026-11-30");
        assertThat(summary.path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertSums(summary.path("totals"), 4, 610, 160, "0.0061");
        assertThat(summary.path("failures").asLong()).isEqualTo(1);

        JsonNode byUser = summary.path("byUser");
        assertThat(texts(byUser, "email")).containsExactly("ana@example.test", "ben@example.test", "cy@example.test");
        assertSums(byUser.get(0), 2, 300, 150, "0.003");
        assertSums(byUser.get(1), 1, 300, 0, "0.003");
        assertSums(byUser.get(2), 1, 10, 10, "0.0001");
        assertThat(byUser.get(0).path("userId").asText()).isEqualTo(ana.toString());

        JsonNode byRole = summary.path("byRole");
        assertThat(texts(byRole, "role")).containsExactly("Analyst", "Finance");
        assertSums(byRole.get(0), 3, 600, 150, "0.006");
        assertSums(byRole.get(1), 2, 300, 150, "0.003");

        JsonNode byModel = summary.path("byModel");
        assertThat(texts(byModel, "model")).containsExactly("gpt-a", "gpt-b");
        assertSums(byModel.get(0), 2, 400, 50, "0.004");
        assertSums(byModel.get(1), 2, 210, 110, "0.0021");
        assertThat(byModel.get(0).path("provider").asText()).isEqualTo("Scripted");

        JsonNode byDay = summary.path("byDay");
        assertThat(byDay).hasSize(30);
        assertThat(byDay.get(0).path("day").asText()).isEqualTo("2026-11-01");
        assertSums(byDay.get(0), 1, 10, 10, "0.0001");
        assertSums(byDay.get(2), 1, 100, 50, "0.001");
        assertSums(byDay.get(3), 2, 500, 100, "0.005");
        assertSums(byDay.get(29), 0, 0, 0, "0");
        assertThat(usageViews()).isEqualTo(viewsBefore + 1);
    }

    @Test
    void filtersNarrowEverythingAndTheViewIsAuditedWithThem() throws SQLException {
        JsonNode ofAna = json(admin.get("/api/v1/admin/usage?user=ANA@example.test"));
        JsonNode failures = json(admin.get("/api/v1/admin/usage?from=2026-10-01&to=2026-11-30&model=gpt-b&outcome=failure"));
        JsonNode december = json(admin.get("/api/v1/admin/usage?from=2026-12-01&to=2026-12-01"));

        assertSums(ofAna.path("totals"), 2, 300, 150, "0.003");
        assertThat(texts(ofAna.path("byUser"), "email")).containsExactly("ana@example.test");
        assertThat(ofAna.path("filters").path("user").asText()).isEqualTo("ANA@example.test");
        assertSums(failures.path("totals"), 1, 200, 100, "0.002");
        assertThat(failures.path("byDay")).hasSize(61);
        assertSums(december.path("totals"), 1, 1000, 1000, "1");
        JsonNode audit = lastUsageView();
        assertThat(audit.path("action").asText()).isEqualTo("usage.viewed");
        assertThat(audit.path("actor_email").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(audit.path("details").path("from").asText()).isEqualTo("2026-12-01");
        assertThat(audit.path("details").path("view").asText()).isEqualTo("summary");
        JsonNode anaView = usageViews("ANA@example.test").getLast();
        assertThat(anaView.path("target_type").asText()).isEqualTo("user");
        assertThat(anaView.path("details").path("user").asText()).isEqualTo("ANA@example.test");
    }

    @Test
    void theCallsAreListedNewestFirstAPageAtATime() throws SQLException {
        JsonNode first = json(admin.get("/api/v1/admin/usage/calls?size=2"));
        JsonNode second = json(admin.get("/api/v1/admin/usage/calls?size=2&page=1"));

        assertThat(first.path("total").asLong()).isEqualTo(4);
        assertThat(ids(first)).containsExactly(calls.get("ben-1").toString(), calls.get("ana-2").toString());
        assertThat(ids(second)).containsExactly(calls.get("ana-1").toString(), calls.get("cy-early").toString());
        JsonNode call = first.path("items").get(1);
        assertThat(call.path("email").asText()).isEqualTo("ana@example.test");
        assertThat(call.path("model").asText()).isEqualTo("gpt-b");
        assertThat(call.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(call.path("inputTokens").asInt()).isEqualTo(200);
        assertThat(call.path("outputTokens").asInt()).isEqualTo(100);
        assertThat(call.path("cost").decimalValue()).isEqualByComparingTo("0.002");
        assertThat(call.path("latencyMs").asInt()).isEqualTo(1234);
        assertThat(call.path("startedAt").asText()).isEqualTo("2026-11-03T23:30:00Z");
        assertThat(call.path("requestSha256").asText()).isEqualTo(HexFormat.of().formatHex(FINGERPRINT));
        assertThat(call.has("outputSha256")).isTrue();
        assertThat(call.path("outputSha256").isNull()).isTrue();
        JsonNode audit = lastUsageView();
        assertThat(audit.path("details").path("view").asText()).isEqualTo("calls");
        assertThat(audit.path("details").path("page").asInt()).isEqualTo(1);

        JsonNode ofBen = json(admin.get("/api/v1/admin/usage/calls?user=ben@example.test&from=2026-10-01"));
        assertThat(ids(ofBen)).containsExactly(calls.get("ben-1").toString(), calls.get("ben-october").toString());
    }

    @Test
    void badRangesAndFiltersAreRefusedWithTheFieldToFix() {
        assertProblem(admin.get("/api/v1/admin/usage?from=2026-13-01"), 400, "invalid-usage-range", "from");
        assertProblem(admin.get("/api/v1/admin/usage?from=2026-11-10&to=2026-11-01"), 400, "invalid-usage-range", "to");
        assertProblem(admin.get("/api/v1/admin/usage?from=2024-01-01&to=2026-11-01"), 400, "invalid-usage-range", "to");
        assertProblem(admin.get("/api/v1/admin/usage?outcome=MAYBE"), 400, "invalid-usage-filter", "outcome");
        assertProblem(admin.get("/api/v1/admin/usage/calls?size=1000"), 400, "invalid-page", "size");
    }

    @Test
    void withoutASessionTheApiAnswers401AndAMemberGets403() {
        assertProblem(portal.browser().get("/api/v1/admin/usage"), 401, "unauthenticated", null);
        assertProblem(portal.browser().get("/api/v1/admin/usage/calls"), 401, "unauthenticated", null);
        WebSession member = portal.signedIn("ben@example.test", PASSWORD);
        assertProblem(member.get("/api/v1/admin/usage"), 403, "forbidden", null);
        assertProblem(member.get("/api/v1/admin/usage/calls"), 403, "forbidden", null);
        assertThat(member.get("/admin/usage", "Accept", "text/html").statusCode()).isEqualTo(403);
    }

    @Test
    void thePageLoadsItsScriptAndStylesFromFilesOnly() {
        HttpResponse<String> page = admin.get("/admin/usage", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/static/usage.js\"></script>").contains("/static/usage.css")
                .contains("value=\"2026-11-01\"").contains("value=\"2026-11-30\"").contains("Europe/Berlin")
                .doesNotContain("style=").doesNotContain("onclick");
        assertThat(page.body().split("<script").length - 1).isEqualTo(1);
        assertThat(admin.get("/static/usage.js").statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheViewCannotBeAuditedNoFiguresAreShown() throws SQLException {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> summary;
        HttpResponse<String> list;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                summary = admin.get("/api/v1/admin/usage");
                list = admin.get("/api/v1/admin/usage/calls");
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }

        assertProblem(summary, 503, "audit-unavailable", null);
        assertProblem(list, 503, "audit-unavailable", null);
        assertThat(summary.body() + list.body()).doesNotContain("ana@example.test");
    }

    // --- helpers ---

    private static UUID person(String email, UUID... roles) {
        UUID id = portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
        portal.bean(RoleAssignments.class).setManual(id, List.of(roles));
        return id;
    }

    private static void call(String name, UUID user, String email, String model, String at, int in, int out, String cost,
                             String outcome) throws SQLException {
        UUID id = UUID.randomUUID();
        calls.put(name, id);
        try (Connection c = portal.sql(); PreparedStatement s = c.prepareStatement("insert into model_calls (id, started_at, user_id,"
                + " user_email, conversation_id, channel, provider, model, input_tokens, output_tokens, usage_reported, cost, latency_ms,"
                + " outcome, error, request_sha256, output_sha256, audit_seq) values (?, ?, ?, ?, null, 'CHAT', 'Scripted', ?, ?, ?, true,"
                + " ?, 1234, ?, null, ?, null, null)")) {
            s.setObject(1, id);
            s.setObject(2, Instant.parse(at).atOffset(ZoneOffset.UTC));
            s.setObject(3, user);
            s.setString(4, email);
            s.setString(5, model);
            s.setInt(6, in);
            s.setInt(7, out);
            s.setBigDecimal(8, new BigDecimal(cost));
            s.setString(9, outcome);
            s.setBytes(10, FINGERPRINT);
            s.executeUpdate();
        }
    }

    private static void assertSums(JsonNode sums, long calls, long in, long out, String cost) {
        assertThat(sums.path("calls").asLong()).as(sums.toString()).isEqualTo(calls);
        assertThat(sums.path("inputTokens").asLong()).as(sums.toString()).isEqualTo(in);
        assertThat(sums.path("outputTokens").asLong()).as(sums.toString()).isEqualTo(out);
        assertThat(sums.path("totalTokens").asLong()).as(sums.toString()).isEqualTo(in + out);
        assertThat(sums.path("cost").decimalValue()).as(sums.toString()).isEqualByComparingTo(cost);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = WebSession.parse(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
        if (field != null) {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WebSession.parse(response.body());
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    private static List<String> ids(JsonNode page) {
        return texts(page.path("items"), "id");
    }

    private static long usageViews() throws SQLException {
        return usageViews(null).size();
    }

    private static JsonNode lastUsageView() throws SQLException {
        return usageViews(null).getLast();
    }

    /** The usage.viewed audit rows, oldest first, optionally only those about one person. */
    private static List<JsonNode> usageViews(String user) throws SQLException {
        List<JsonNode> rows = new ArrayList<>();
        try (Connection c = portal.sql(); PreparedStatement s = c.prepareStatement("select json_build_object('action', action,"
                + " 'actor_email', actor_email, 'target_type', target_type, 'target_id', target_id, 'details', details::jsonb)::text"
                + " from audit_events where action = 'usage.viewed' and (?::text is null or target_id = ?) order by seq")) {
            s.setString(1, user);
            s.setString(2, user);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(WebSession.parse(rs.getString(1)));
                }
            }
        }
        return rows;
    }
}
