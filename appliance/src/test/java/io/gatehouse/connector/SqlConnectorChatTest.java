package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.EmbeddedPostgres;
import io.gatehouse.demo.DemoDatabase;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real SQL connector as a supervised child process on the demo database: the model's run_query call is
 * brokered over MCP and the answer is built from real rows; actions are never offered; a killed connector
 * gives a clear message and comes back.
 */
class SqlConnectorChatTest {

    static final String TOP_FIVE = "select c.name, sum(i.amount) as total from invoices i join customers c on c.id = i.customer_id"
            + " where i.issued_on >= date_trunc('quarter', current_date) - interval '3 months'"
            + " and i.issued_on < date_trunc('quarter', current_date) group by c.name order by total desc limit 5";

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static DemoDatabase.Access demo;

    @BeforeAll
    static void start() {
        EmbeddedPostgres server = SharedPostgres.server();
        demo = DemoDatabase.ensure(server.jdbcUrl("postgres"), server.jdbcUrl(DemoDatabase.DATABASE), server.user(), new SecureRandom());
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        Map<String, Object> form = new HashMap<>();
        form.put("name", "demo");
        form.put("kind", "sql");
        form.put("description", "Sample business data");
        form.put("config", Map.of("SQL_URL", demo.jdbcUrl(), "SQL_USER", demo.user(), "SQL_PASSWORD", demo.password()));
        var created = admin.postJson("/api/v1/admin/connectors", form);
        if (created.statusCode() != 201) {
            throw new IllegalStateException(created.body());
        }
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void theConnectorRunsWithItsReadToolsOfferedAndItsActionToolHeldBack() {
        JsonNode connector = WebSession.parse(admin.get("/api/v1/admin/connectors").body()).get(0);

        assertThat(connector.path("state").asText()).isEqualTo("RUNNING");
        assertThat(connector.path("secretsSet").toString()).contains("SQL_PASSWORD");
        assertThat(connector.toString()).doesNotContain(demo.password());
        Map<String, Boolean> offered = new HashMap<>();
        connector.path("tools").forEach(t -> offered.put(t.path("name").asText(), t.path("offered").asBoolean()));
        assertThat(offered).containsEntry("run_query", true).containsEntry("list_tables", true).containsEntry("execute_statement", false);
    }

    @Test
    void aQuestionIsAnsweredFromRealRowsThroughTheBroker() throws Exception {
        List<String> expected = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(demo.jdbcUrl(), demo.user(), demo.password());
             var rs = c.createStatement().executeQuery(TOP_FIVE)) {
            while (rs.next()) {
                expected.add(rs.getString(1));
            }
        }
        assertThat(expected).hasSize(5);
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"" + TOP_FIVE + "\"}"),
                ScriptedModelServer.text("Here are the five customers."));
        int before = model.requests().size();

        var result = admin.postForEvents("/api/v1/chat/messages",
                Map.of("message", "Which 5 customers had the highest invoice totals last quarter?", "model", "tool-model"));

        JsonNode firstRequest = model.requests().get(before);
        List<String> offered = new ArrayList<>();
        firstRequest.path("tools").forEach(t -> offered.add(t.path("function").path("name").asText()));
        assertThat(offered).contains("demo__run_query", "demo__describe_table").doesNotContain("demo__execute_statement");
        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).isFalse();
        assertThat(step.path("rows").asInt()).isEqualTo(5);
        JsonNode messages = model.requests().get(before + 1).path("messages");
        String toolResult = messages.get(messages.size() - 1).path("content").asText();
        for (String name : expected) {
            assertThat(toolResult).contains(name);
        }
        assertThat(result.named("done")).hasSize(1);
    }

    @Test
    void aWriteSmuggledIntoRunQueryIsRefusedByTheConnectorAndChangesNothing() throws Exception {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"delete from support_tickets\"}"),
                ScriptedModelServer.text("I cannot do that."));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Clean up tickets", "model", "tool-model"));

        assertThat(result.named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        try (Connection c = DriverManager.getConnection(demo.jdbcUrl(), demo.user(), demo.password());
             var rs = c.createStatement().executeQuery("select count(*) from support_tickets")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1400);
        }
    }

    @Test
    void bringYourOwnMcpServersAreRefusedWithoutTheDockerRuntime() {
        var response = admin.postJson("/api/v1/admin/mcp-servers", Map.of("name", "thirdparty", "image", "example/mcp:1"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(response.body()).path("detail").asText()).contains("GATEHOUSE_CONNECTOR_RUNTIME=docker");
    }

    @Test
    void theConnectorRefusesMcpRequestsWithoutItsToken() throws Exception {
        ConnectorSupervisor.Instance instance = portal.bean(ConnectorSupervisor.class).byName("demo").orElseThrow();
        URI mcp = instance.running().mcpEndpoint();

        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json").header("Authorization", "Bearer not-the-token")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void aKilledConnectorGivesAClearMessageAndTheSupervisorBringsItBack() {
        ConnectorSupervisor supervisor = portal.bean(ConnectorSupervisor.class);
        ConnectorSupervisor.Instance before = supervisor.byName("demo").orElseThrow();
        ProcessHandle process = ProcessConnectorRuntime.process(before.running());
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) from customers\"}"),
                ScriptedModelServer.text("Sorry, the database is unavailable."));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How many customers?", "model", "tool-model"));

        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).isTrue();
        assertThat(result.named("done")).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConnectorSupervisor.Instance now = supervisor.byName("demo").orElseThrow();
            assertThat(now.state()).isEqualTo(ConnectorSupervisor.State.RUNNING);
            assertThat(ProcessConnectorRuntime.process(now.running()).pid()).isNotEqualTo(process.pid());
        });
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) as n from customers\"}"),
                ScriptedModelServer.text("There are 450."));
        var again = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How many customers now?", "model", "tool-model"));
        assertThat(again.named("tool").getFirst().json().path("error").asBoolean()).isFalse();
    }
}
