package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.audit.Origin;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.config.EmbeddedPostgres;
import io.gatehouse.demo.DemoDatabase;
import io.gatehouse.model.ToolCall;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every tool call the model asks for leaves one {@code tool.call} row (who, connector, tool, the SHA-256 of the
 * arguments as sent, outcome, rows, origin) before its result goes back; a result whose row cannot be written never
 * reaches the model. Connector changes are audited first and refused when they cannot be.
 */
class ToolCallAuditTest {

    static final String AGENT = "tool-audit-test/1.0";
    static final String THREE_CUSTOMERS = "{\"sql\": \"select name from customers order by name limit 3\"}";

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static UUID adminId;
    static DemoDatabase.Access demo;

    @BeforeAll
    static void start() {
        EmbeddedPostgres server = SharedPostgres.server();
        demo = DemoDatabase.ensure(server.jdbcUrl("postgres"), server.jdbcUrl(DemoDatabase.DATABASE), server.user(), new SecureRandom());
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        adminId = AuditedRows.userId(portal, TestPortal.ADMIN_EMAIL);
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        portal.addDemoConnector(admin, "demo");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private static List<String> firstThreeCustomers() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(demo.jdbcUrl(), demo.user(), demo.password());
             var rs = c.createStatement().executeQuery("select name from customers order by name limit 3")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static WebSession.SseResult ask(String tool, String arguments) {
        model.enqueue(new ScriptedModelServer.ToolCall(tool, arguments), ScriptedModelServer.text("Done."));
        return admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Who are our first customers?", "model", "tool-model"),
                "User-Agent", AGENT);
    }

    /** The content of the last message the model received in the request at this index (the tool result). */
    private static String toldModel(int request) {
        JsonNode messages = model.requests().get(request).path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    @Test
    void aReadCallLeavesOneSuccessRowWithTheArgumentHashTheRowsAndWhoAskedFromWhere() throws Exception {
        long before = AuditedRows.lastSeq(portal);

        WebSession.SseResult events = ask("demo__run_query", THREE_CUSTOMERS);

        assertThat(events.named("done")).as(events.raw()).hasSize(1);
        assertThat(events.named("tool").getFirst().json().path("rows").asInt()).isEqualTo(3);
        AuditedRows.Row row = AuditedRows.only(portal, before, "tool.call");
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.targetType()).isEqualTo("tool");
        assertThat(row.targetId()).isEqualTo("demo/run_query");
        assertThat(row.connector()).isEqualTo("demo");
        assertThat(row.ip()).isEqualTo("127.0.0.1");
        assertThat(row.userAgent()).isEqualTo(AGENT);
        assertThat(row.requestId()).isNotBlank();
        assertThat(row.details().path("argumentsSha256").asText()).isEqualTo(ToolCallAudit.sha256(THREE_CUSTOMERS))
                .isEqualTo("%064x".formatted(new java.math.BigInteger(1, java.security.MessageDigest.getInstance("SHA-256")
                        .digest(THREE_CUSTOMERS.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        assertThat(row.details().path("rows").asInt()).isEqualTo(3);
        assertThat(row.details().path("access").asText()).isEqualTo("read");
        assertThat(row.details().path("reason").asText()).isEqualTo("ran");
        assertThat(row.details().has("durationMs")).isTrue();
        assertThat(row.details().path("conversationId").asText())
                .isEqualTo(events.named("conversation").getFirst().json().path("conversationId").asText());
        // Never the data: no arguments, no rows.
        assertThat(row.details().toString()).doesNotContain("select").doesNotContain(firstThreeCustomers().getFirst());
        // A read needs no dispatch row.
        assertThat(AuditedRows.since(portal, before, "tool.dispatch")).isEmpty();
    }

    @Test
    void aCallOfAToolTheCallerIsNotGrantedAndOfAnUnknownToolAreDeniedAndRecorded() {
        UUID nobody = portal.bean(UserAccounts.class).createLocal("nobody@example.test", null, "a long and unusual passphrase", false).id();
        portal.bean(RoleAssignments.class).setManual(nobody, List.of());
        Caller caller = new Caller(nobody, "nobody@example.test", "Nobody", false, Caller.Channel.API_TOKEN, UUID.randomUUID(),
                Caller.Access.FULL).from(new Origin("192.0.2.9", "script/2", "req-denied-1"));
        ConnectorBroker broker = portal.bean(ConnectorBroker.class);
        long before = AuditedRows.lastSeq(portal);

        ToolOutcome refused = broker.call(caller, new ToolCall("c1", "demo__run_query", THREE_CUSTOMERS));
        ToolOutcome unknown = broker.call(caller, new ToolCall("c2", "demo__drop_everything", "{}"));

        assertThat(refused.error()).isTrue();
        assertThat(refused.content()).startsWith("Not permitted");
        assertThat(unknown.error()).isTrue();
        List<AuditedRows.Row> rows = AuditedRows.since(portal, before, "tool.call");
        assertThat(rows).hasSize(2);
        AuditedRows.Row denied = rows.getFirst();
        assertThat(denied.outcome()).isEqualTo("DENIED");
        assertThat(denied.actorId()).isEqualTo(nobody);
        assertThat(denied.ip()).isEqualTo("192.0.2.9");
        assertThat(denied.userAgent()).isEqualTo("script/2");
        assertThat(denied.requestId()).isEqualTo("req-denied-1");
        assertThat(denied.targetId()).isEqualTo("demo/run_query");
        assertThat(denied.details().path("reason").asText()).isEqualTo("not-permitted");
        assertThat(denied.details().path("access").asText()).isEqualTo("read");
        assertThat(denied.details().path("argumentsSha256").asText()).isEqualTo(ToolCallAudit.sha256(THREE_CUSTOMERS));
        assertThat(denied.details().has("rows")).isFalse();
        AuditedRows.Row unknownRow = rows.get(1);
        assertThat(unknownRow.outcome()).isEqualTo("DENIED");
        assertThat(unknownRow.targetId()).isEqualTo("demo/drop_everything");
        assertThat(unknownRow.details().path("reason").asText()).isEqualTo("unknown-tool");
        assertThat(unknownRow.details().has("access")).isFalse();
    }

    @Test
    void aCallToAConnectorSwitchedOffIsDeniedWithTheKillSwitchAsReason() {
        HttpResponse<String> engaged = admin.postJson("/api/v1/admin/kill-switch/engage",
                Map.of("scope", "CONNECTOR", "target", "demo", "reason", "audit test"));
        assertThat(engaged.statusCode()).as(engaged.body()).isEqualTo(200);
        long before = AuditedRows.lastSeq(portal);
        try {
            WebSession.SseResult events = ask("demo__run_query", THREE_CUSTOMERS);

            assertThat(events.named("tool").getFirst().json().path("error").asBoolean()).isTrue();
            AuditedRows.Row row = AuditedRows.only(portal, before, "tool.call");
            assertThat(row.outcome()).isEqualTo("DENIED");
            assertThat(row.details().path("reason").asText()).isEqualTo("kill-switch");
            assertThat(row.actorId()).isEqualTo(adminId);
        } finally {
            admin.postJson("/api/v1/admin/kill-switch/release", Map.of("scope", "CONNECTOR", "target", "demo"));
        }
    }

    @Test
    void whenTheCallCannotBeRecordedItsResultNeverReachesTheModelAndThePersonSeesAnError() throws Exception {
        List<String> customers = firstThreeCustomers();
        long before = AuditedRows.lastSeq(portal);
        int requestsBefore = model.requests().size();
        WebSession.SseResult events;
        try (AutoCloseable refused = AuditedRows.refusing(portal, "tool.call")) {
            events = ask("demo__run_query", THREE_CUSTOMERS);
        }

        String told = toldModel(requestsBefore + 1);
        assertThat(told).contains("result is withheld").contains("audit trail is unavailable");
        for (String name : customers) {
            assertThat(told).doesNotContain(name);
        }
        JsonNode step = events.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).isTrue();
        assertThat(step.path("rows").isNull() || step.path("rows").isMissingNode()).isTrue();
        assertThat(AuditedRows.since(portal, before, "tool.call")).isEmpty();
    }

    private static Map<String, Object> connectorForm(String name, String description, String password) {
        Map<String, Object> form = new HashMap<>();
        form.put("name", name);
        form.put("kind", "sql");
        form.put("description", description);
        form.put("config", Map.of("SQL_URL", demo.jdbcUrl(), "SQL_USER", demo.user(), "SQL_PASSWORD", password));
        return form;
    }

    private static void assertOrigin(AuditedRows.Row row, HttpResponse<String> response) {
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.ip()).isEqualTo("127.0.0.1");
        assertThat(row.userAgent()).isEqualTo(AGENT);
        assertThat(row.requestId()).isNotBlank().isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void creatingChangingAndRemovingAConnectorLeaveRowsNamingWhatChangedButNeverASecret() {
        long before = AuditedRows.lastSeq(portal);
        HttpResponse<String> created = admin.postJson("/api/v1/admin/connectors", connectorForm("audited", "First", demo.password()),
                "User-Agent", AGENT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = WebSession.parse(created.body()).path("id").asText();

        AuditedRows.Row create = AuditedRows.only(portal, before, "connector.created");
        assertOrigin(create, created);
        assertThat(create.outcome()).isEqualTo("SUCCESS");
        assertThat(create.targetType()).isEqualTo("connector");
        assertThat(create.targetId()).isEqualTo(id);
        assertThat(create.connector()).isEqualTo("audited");
        assertThat(create.details().path("secrets").toString()).isEqualTo("[\"SQL_PASSWORD\"]");
        assertThat(create.details().path("settings").toString()).isEqualTo("[\"SQL_URL\",\"SQL_USER\"]");
        AuditedRows.Row started = AuditedRows.only(portal, before, "connector.started");
        assertThat(started.actorId()).isNull();
        assertThat(started.targetId()).isEqualTo(id);
        assertThat(started.seq()).isGreaterThan(create.seq());

        long beforeUpdate = AuditedRows.lastSeq(portal);
        HttpResponse<String> described = admin.putJson("/api/v1/admin/connectors/" + id, connectorForm("audited", "Second", ""),
                "User-Agent", AGENT);
        assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
        HttpResponse<String> rekeyed = admin.putJson("/api/v1/admin/connectors/" + id,
                connectorForm("audited", "Second", "not-the-password"), "User-Agent", AGENT);
        assertThat(rekeyed.statusCode()).as(rekeyed.body()).isEqualTo(200);

        List<AuditedRows.Row> updates = AuditedRows.since(portal, beforeUpdate, "connector.updated");
        assertThat(updates).hasSize(2);
        assertOrigin(updates.getFirst(), described);
        assertThat(updates.getFirst().details().path("descriptionChanged").asBoolean()).isTrue();
        assertThat(updates.getFirst().details().path("secretsChanged").toString()).isEqualTo("[]");
        assertThat(updates.getFirst().details().path("settingsChanged").toString()).isEqualTo("[]");
        assertOrigin(updates.get(1), rekeyed);
        assertThat(updates.get(1).details().path("secretsChanged").toString()).isEqualTo("[\"SQL_PASSWORD\"]");
        assertThat(updates.get(1).details().path("descriptionChanged").asBoolean()).isFalse();

        long beforeDelete = AuditedRows.lastSeq(portal);
        HttpResponse<String> deleted = admin.delete("/api/v1/admin/connectors/" + id, "User-Agent", AGENT);
        assertThat(deleted.statusCode()).isEqualTo(204);
        AuditedRows.Row delete = AuditedRows.only(portal, beforeDelete, "connector.deleted");
        assertOrigin(delete, deleted);
        assertThat(delete.targetId()).isEqualTo(id);

        for (AuditedRows.Row row : List.of(create, updates.getFirst(), updates.get(1), delete)) {
            assertThat(row.details().toString()).doesNotContain(demo.password()).doesNotContain("not-the-password");
        }
    }

    @Test
    void aConnectorChangeTheTrailCannotRecordIsRefusedWith503AndChangesNothing() throws Exception {
        HttpResponse<String> kept = admin.postJson("/api/v1/admin/connectors", connectorForm("kept", "Kept", demo.password()));
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(201);
        String keptId = WebSession.parse(kept.body()).path("id").asText();
        long before = AuditedRows.lastSeq(portal);
        HttpResponse<String> create;
        HttpResponse<String> update;
        HttpResponse<String> delete;
        try (AutoCloseable refused = AuditedRows.refusingAll(portal)) {
            create = admin.postJson("/api/v1/admin/connectors", connectorForm("refused", "Never", demo.password()));
            update = admin.putJson("/api/v1/admin/connectors/" + keptId, connectorForm("kept", "Changed", ""));
            delete = admin.delete("/api/v1/admin/connectors/" + keptId);
        }

        for (HttpResponse<String> response : List.of(create, update, delete)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(WebSession.parse(response.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:audit-unavailable");
        }
        JsonNode connectors = WebSession.parse(admin.get("/api/v1/admin/connectors").body());
        List<String> names = new ArrayList<>();
        connectors.forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).contains("kept").doesNotContain("refused");
        JsonNode stillKept = WebSession.parse(admin.get("/api/v1/admin/connectors/" + keptId).body());
        assertThat(stillKept.path("description").asText()).isEqualTo("Kept");
        assertThat(stillKept.path("state").asText()).isEqualTo("RUNNING");
        assertThat(AuditedRows.since(portal, before, "connector.created")).isEmpty();
        admin.delete("/api/v1/admin/connectors/" + keptId);
    }
}
