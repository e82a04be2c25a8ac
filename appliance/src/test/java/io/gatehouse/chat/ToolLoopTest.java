package io.gatehouse.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.gatehouse.auth.Caller;
import io.gatehouse.connector.ToolBroker;
import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.model.ToolCall;
import io.gatehouse.model.ToolSpec;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline offers the broker's tools, runs the model's tool calls through it, and loops to the answer. */
class ToolLoopTest {

    /** A broker with one read tool over fixed rows, recording what it was asked. */
    static final class RecordingBroker implements ToolBroker {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public List<ToolSpec> toolsFor(Caller caller) {
            return List.of(new ToolSpec("demo__run_query", "Run a read-only SQL query on the demo database",
                    new ObjectMapper().createObjectNode().put("type", "object")));
        }

        @Override
        public ToolOutcome call(Caller caller, ToolCall call) {
            calls.add(caller.email() + " " + call.name() + " " + call.argumentsJson());
            return new ToolOutcome(call.id(), "demo", "run_query", call.argumentsJson(), false,
                    "{\"columns\":[\"name\",\"total\"],\"rows\":[[\"ACME\",1200]],\"rowCount\":1,\"truncated\":false}", 7, 1);
        }
    }

    static RecordingBroker broker = new RecordingBroker();
    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.withBeans(broker);
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "scripted-model");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aToolCallRunsThroughTheBrokerAndTheAnswerIsBuiltFromItsResult() {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select name, total from top\"}"),
                ScriptedModelServer.text("ACME leads ", "with 1200."));
        int before = model.requests().size();

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Who is our top customer?"));

        // The output guardrail may hold a word back until it can judge it, so the text may arrive in other pieces.
        List<String> names = result.events().stream().map(WebSession.SseEvent::name).toList();
        assertThat(names.subList(0, 2)).containsExactly("conversation", "tool");
        assertThat(names.subList(2, names.size() - 1)).isNotEmpty().containsOnly("delta");
        assertThat(names.getLast()).isEqualTo("done");
        assertThat(result.named("delta").stream().map(e -> e.json().path("text").asText()).reduce("", String::concat))
                .isEqualTo("ACME leads with 1200.");
        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("connector").asText()).isEqualTo("demo");
        assertThat(step.path("tool").asText()).isEqualTo("run_query");
        assertThat(step.path("rows").asInt()).isEqualTo(1);
        assertThat(broker.calls.getLast()).isEqualTo("admin@example.test demo__run_query {\"sql\":\"select name, total from top\"}");

        List<JsonNode> sent = model.requests().subList(before, model.requests().size());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).path("tools").get(0).path("function").path("name").asText()).isEqualTo("demo__run_query");
        JsonNode followUp = sent.get(1).path("messages");
        JsonNode assistant = followUp.get(followUp.size() - 2);
        JsonNode toolMessage = followUp.get(followUp.size() - 1);
        assertThat(assistant.path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(toolMessage.path("content").asText()).contains("ACME");

        String id = result.named("conversation").getFirst().json().path("conversationId").asText();
        Document answer = portal.mongo().getCollection("messages").find(Filters.and(Filters.eq("conversationId", id),
                Filters.eq("role", "assistant"))).first();
        assertThat(answer.getString("text")).isEqualTo("ACME leads with 1200.");
        List<Document> steps = answer.getList("toolSteps", Document.class);
        assertThat(steps).hasSize(1);
        assertThat(steps.getFirst().getString("tool")).isEqualTo("run_query");
        assertThat(admin.get("/c/" + id, "Accept", "text/html").body()).contains("demo · run_query · 7 ms · 1 rows");
    }

    @Test
    void aToolTheModelWasNeverOfferedIsRefusedWithoutReachingAnyBroker() {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__execute_statement", "{\"sql\":\"delete from customers\"}"),
                ScriptedModelServer.text("I could not do that."));
        int callsBefore = broker.calls.size();
        int before = model.requests().size();

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Delete all customers"));

        assertThat(broker.calls).hasSize(callsBefore);
        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).isTrue();
        JsonNode toolMessage = model.requests().get(before + 1).path("messages");
        assertThat(toolMessage.get(toolMessage.size() - 1).path("content").asText()).startsWith("Not permitted");
    }

    @Test
    void theV1ApiRunsTheSameToolLoop() {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select 1\"}"), ScriptedModelServer.text("Done."));
        String token = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "tools")).body()).path("token").asText();

        var response = portal.browser().postJson("/v1/chat/completions",
                Map.of("model", "scripted-model", "messages", List.of(Map.of("role", "user", "content", "Run it"))),
                "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(response.body()).path("choices").get(0).path("message").path("content").asText()).isEqualTo("Done.");
        assertThat(broker.calls.getLast()).endsWith("{\"sql\":\"select 1\"}");
    }

    @Test
    void theLoopStopsOfferingToolsAfterTheRoundLimit() {
        for (int i = 0; i < ChatPipeline.MAX_TOOL_ROUNDS + 1; i++) {
            model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select " + i + "\"}"));
        }
        int before = model.requests().size();

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Loop forever"));

        List<JsonNode> sent = new ArrayList<>(model.requests().subList(before, model.requests().size()));
        assertThat(sent).hasSize(ChatPipeline.MAX_TOOL_ROUNDS + 1);
        assertThat(sent.getLast().has("tools")).isFalse();
        assertThat(result.named("tool")).hasSize(ChatPipeline.MAX_TOOL_ROUNDS);
        assertThat(result.named("done")).hasSize(1);
    }
}
