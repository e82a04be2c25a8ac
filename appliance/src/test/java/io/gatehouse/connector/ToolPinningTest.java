package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tool definitions are pinned at first sight; a connector that later presents a tool differently gets that
 * tool held (neither offered nor run) until an admin approves the new definition. Both are in the audit trail.
 */
class ToolPinningTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static String connectorId;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        model.recordRequests(true);
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        connectorId = portal.addDemoConnector(admin, "demo").path("id").asText();
        awaitRunning();
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private static JsonNode connector() {
        return WebSession.parse(admin.get("/api/v1/admin/connectors/" + connectorId).body());
    }

    private static void awaitRunning() {
        await().atMost(Duration.ofSeconds(30)).until(() -> connector().path("state").asText().equals("RUNNING"));
    }

    private static JsonNode tool(String name) {
        for (JsonNode t : connector().path("tools")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no tool " + name);
    }

    private static List<String> offered() {
        model.enqueue(ScriptedModelServer.text("ok"));
        int before = model.requests().size();
        admin.postForEvents("/api/v1/chat/messages", Map.of("message", "hi", "model", "tool-model"));
        List<String> names = new ArrayList<>();
        model.requests().get(before).path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }

    @Test
    void aChangedToolDefinitionIsHeldUntilAnAdminApprovesIt() throws Exception {
        try (Connection c = portal.sql(); var rs = c.createStatement().executeQuery(
                "select count(*) from tool_pins where connector_id = '" + connectorId + "' and status = 'APPROVED'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("every tool pinned at first start").isGreaterThanOrEqualTo(5);
        }
        assertThat(offered()).contains("demo__run_query");

        // The pinned definition no longer matches what the connector presents (as if its description had changed).
        try (Connection c = portal.sql()) {
            c.createStatement().executeUpdate("update tool_pins set fingerprint = 'an older definition' where connector_id = '"
                    + connectorId + "' and tool_name = 'run_query'");
        }
        long beforeRestart = AuditedRows.lastSeq(portal);
        assertThat(admin.postJson("/api/v1/admin/connectors/" + connectorId + "/restart", Map.of()).statusCode()).isLessThan(300);
        awaitRunning();
        assertThat(AuditedRows.only(portal, beforeRestart, "connector.restarted").actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        AuditedRows.Row held = AuditedRows.only(portal, beforeRestart, "connector.tool_held");
        assertThat(held.actorId()).as("the portal holds it, no person").isNull();
        assertThat(held.targetId()).isEqualTo(connectorId);
        assertThat(held.details().path("tool").asText()).isEqualTo("run_query");
        assertThat(held.details().path("pinnedFingerprint").asText()).isEqualTo("an older definition");
        assertThat(held.details().path("newFingerprint").asText()).hasSize(64);

        assertThat(tool("run_query").path("held").asBoolean()).isTrue();
        assertThat(tool("run_query").path("pendingDescription").asText()).isNotBlank();
        assertThat(tool("list_tables").path("held").asBoolean()).isFalse();
        assertThat(offered()).doesNotContain("demo__run_query").contains("demo__list_tables");
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select 1\"}"), ScriptedModelServer.text("ok"));
        int before = model.requests().size();
        var turn = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "count", "model", "tool-model"));
        assertThat(turn.named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        JsonNode messages = model.requests().get(before + 1).path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").asText()).contains("Not permitted");

        long beforeApproval = AuditedRows.lastSeq(portal);
        var approved = admin.postJson("/api/v1/admin/connectors/" + connectorId + "/tools/run_query/approve", Map.of());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        AuditedRows.Row approval = AuditedRows.only(portal, beforeApproval, "connector.tool_approved");
        assertThat(approval.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(approval.requestId()).isEqualTo(approved.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(approval.details().path("tool").asText()).isEqualTo("run_query");
        assertThat(tool("run_query").path("held").asBoolean()).isFalse();
        assertThat(offered()).contains("demo__run_query");
        assertThat(admin.postJson("/api/v1/admin/connectors/" + connectorId + "/tools/run_query/approve", Map.of()).statusCode())
                .as("nothing left to approve").isEqualTo(409);
        assertThat(AuditedRows.since(portal, beforeApproval, "connector.tool_approved")).as("a refused approval is not recorded").hasSize(1);
    }

    @Test
    void onlyBringYourOwnToolsAreClassifiedByHand() {
        var refused = admin.putJson("/api/v1/admin/connectors/" + connectorId + "/tools/run_query/classification",
                Map.of("classification", "READ"));
        assertThat(refused.statusCode()).isEqualTo(409);
    }
}
