package io.gatehouse.governance.killswitch;

import static io.gatehouse.governance.killswitch.KillSwitchFixtures.ANALYST;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.MANAGER;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.completion;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.detail;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.person;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.pull;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.releaseAll;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import io.gatehouse.governance.killswitch.KillSwitchFixtures.LiveStream;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kill-switch in the chat turn on one portal: new turns refused (chat page and /v1), per model, connector,
 * tool, role and person; a person's API tokens held; an answer in flight stopped with the partial text kept.
 */
class KillSwitchChatTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static WebSession ana;
    static WebSession bob;
    static String anaToken;
    static String bobToken;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a", "model-b");
        portal.addDemoConnector(admin, "demo");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                WebSession.parse(admin.get("/api/v1/admin/connectors").body()).get(0).path("state").asText().equals("RUNNING"));
        ana = person(portal, admin, "ana@example.test", ANALYST);
        bob = person(portal, admin, "bob@example.test", MANAGER);
        anaToken = token(ana);
        bobToken = token(bob);
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @AfterEach
    void releaseEverything() {
        releaseAll(admin);
        model.chunkDelay(Duration.ZERO);
    }

    private static WebSession.SseResult ask(WebSession who, String modelName, String message) {
        return who.postForEvents("/api/v1/chat/messages", Map.of("message", message, "model", modelName));
    }

    private static String errorOf(WebSession.SseResult result) {
        assertThat(result.named("error")).as(result.raw()).hasSize(1);
        return result.named("error").getFirst().json().path("message").asText();
    }

    @Test
    void theGlobalSwitchRefusesNewTurnsOnTheChatPageAndOnV1WithAClearMessage() {
        pull(admin, "GLOBAL", null);
        int calls = model.requests().size();

        var page = ask(ana, "model-a", "What were last quarter's sales?");
        var v1 = completion(portal, bobToken, "model-b", "Hello");
        var v1Streamed = portal.browser().postJson("/v1/chat/completions", Map.of("model", "model-b", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "Hello"))), "Authorization", "Bearer " + bobToken);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.events()).extracting(WebSession.SseEvent::name).containsExactly("conversation", "error");
        assertThat(errorOf(page)).isEqualTo(
                "An administrator pulled the kill-switch: all AI assistance is switched off for now. Try again later.");
        for (var refused : List.of(v1, v1Streamed)) {
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode error = WebSession.parse(refused.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("kill_switch");
            assertThat(error.path("message").asText()).contains("pulled the kill-switch", "all AI assistance is switched off");
        }
        assertThat(model.requests()).as("no model was called").hasSize(calls);

        assertThat(KillSwitchFixtures.release(admin, "GLOBAL", null).statusCode()).isEqualTo(200);
        assertThat(ask(ana, "model-a", "And now?").named("done")).hasSize(1);
        assertThat(completion(portal, bobToken, "model-b", "Hello").statusCode()).isEqualTo(200);
    }

    @Test
    void aModelSwitchRefusesThatModelOnlyAndSaysWhichModel() {
        pull(admin, "MODEL", "model-a");

        var refused = ask(bob, "model-a", "Hello");
        var other = ask(bob, "model-b", "Hello");
        var refusedV1 = completion(portal, bobToken, "model-a", "Hello");
        var otherV1 = completion(portal, bobToken, "model-b", "Hello");

        assertThat(errorOf(refused)).contains("kill-switch for the model 'model-a'", "Choose another model");
        assertThat(other.named("done")).hasSize(1);
        assertThat(refusedV1.statusCode()).isEqualTo(503);
        assertThat(detail(refusedV1)).contains("kill-switch for the model 'model-a'");
        assertThat(otherV1.statusCode()).isEqualTo(200);
    }

    @Test
    void aConnectorSwitchRefusesItsToolCallsWhileTheChatGoesOn() {
        pull(admin, "CONNECTOR", "demo");
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) from customers\"}"),
                ScriptedModelServer.text("The customer data is switched off right now."));
        int before = model.requests().size();

        var result = ask(admin, "model-a", "How many customers do we have?");

        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("connector").asText()).isEqualTo("demo");
        assertThat(step.path("error").asBoolean()).isTrue();
        assertThat(lastToolMessage(before + 1)).contains("Not permitted right now", "kill-switch for the connector 'demo'");
        assertThat(result.named("done")).as("the turn itself goes on").hasSize(1);
        assertThat(ask(admin, "model-a", "Just chat").named("done")).hasSize(1);
    }

    @Test
    void aToolSwitchRefusesThatToolAndLeavesTheConnectorsOtherTools() {
        pull(admin, "TOOL", "demo__run_query");
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) from customers\"}"),
                ScriptedModelServer.text("Refused."));
        int before = model.requests().size();

        var refused = ask(admin, "model-a", "How many customers?");

        assertThat(refused.named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        assertThat(lastToolMessage(before + 1)).contains("kill-switch for the tool 'run_query' of the connector 'demo'");

        model.enqueue(new ScriptedModelServer.ToolCall("demo__list_tables", "{\"schema\":\"public\"}"), ScriptedModelServer.text("Here are the tables."));
        before = model.requests().size();
        var allowed = ask(admin, "model-a", "Which tables are there?");

        assertThat(allowed.named("tool").getFirst().json().path("error").asBoolean()).as(allowed.raw()).isFalse();
        assertThat(lastToolMessage(before + 1)).contains("customers").doesNotContain("kill-switch");
    }

    @Test
    void aRoleSwitchRefusesEveryoneHoldingTheRoleAndNobodyElse() {
        pull(admin, "ROLE", "Analyst");

        JsonNode state = WebSession.parse(admin.get("/api/v1/admin/kill-switch").body()).path("switches").get(0);
        assertThat(state.path("target").asText()).isEqualTo(ANALYST.toString());
        assertThat(state.path("label").asText()).isEqualTo("Analyst");
        assertThat(errorOf(ask(ana, "model-a", "Hello"))).contains("kill-switch for the role 'Analyst'");
        assertThat(completion(portal, anaToken, "model-a", "Hello").statusCode()).isEqualTo(503);
        assertThat(ask(bob, "model-a", "Hello").named("done")).hasSize(1);
        assertThat(completion(portal, bobToken, "model-a", "Hello").statusCode()).isEqualTo(200);
    }

    @Test
    void aUserSwitchRefusesThatPersonsChatAndTheirApiTokensAndNobodyElse() {
        pull(admin, "USER", "ana@example.test");

        var chat = ask(ana, "model-a", "Hello");
        var models = portal.browser().get("/v1/models", "Authorization", "Bearer " + anaToken);
        var v1 = completion(portal, anaToken, "model-a", "Hello");

        assertThat(errorOf(chat)).contains("kill-switch for your account");
        for (var refused : List.of(models, v1)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(detail(refused)).contains("kill-switch for your account", "API tokens are refused");
        }
        assertThat(ask(bob, "model-a", "Hello").named("done")).hasSize(1);
        assertThat(completion(portal, bobToken, "model-a", "Hello").statusCode()).isEqualTo(200);

        KillSwitchFixtures.release(admin, "USER", "ana@example.test");
        assertThat(portal.browser().get("/v1/models", "Authorization", "Bearer " + anaToken).statusCode()).isEqualTo(200);
        assertThat(ask(ana, "model-a", "Hello").named("done")).hasSize(1);
    }

    @Test
    void anAnswerStreamingOnTheChatPageStopsWithinASecondAndIsKeptAsAnErrorWithItsPartialText() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            words.add("word" + i + " ");
        }
        model.chunkDelay(Duration.ofMillis(100));
        model.enqueue(new ScriptedModelServer.Text(words));
        LiveStream live = LiveStream.open(portal.baseUrl() + "/api/v1/chat/messages",
                Map.of("message", "Tell me a long story", "model", "model-a"), bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.named("delta").size() >= 3);

        long pulledAt = System.nanoTime();
        pull(admin, "MODEL", "model-a");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> !live.named("error").isEmpty());
        LiveStream.Received error = live.named("error").getFirst();
        System.out.printf("Kill-switch: the chat page's answer stopped %d ms after the switch was pulled%n",
                (error.nanos() - pulledAt) / 1_000_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> live.finished);

        assertThat(error.json().path("message").asText()).contains("kill-switch for the model 'model-a'");
        assertThat(live.named("done")).isEmpty();
        String shown = live.named("delta").stream().map(e -> e.json().path("text").asText()).collect(Collectors.joining());
        assertThat(shown).startsWith("word0 word1 word2 ").doesNotContain("word59");
        String conversation = live.named("conversation").getFirst().json().path("conversationId").asText();
        Document stored = portal.mongo().getCollection("messages")
                .find(Filters.and(Filters.eq("conversationId", conversation), Filters.eq("role", "assistant"))).first();
        assertThat(stored.getString("status")).isEqualTo("error");
        assertThat(stored.getString("text")).isEqualTo(shown);
        assertThat(stored.getString("error")).contains("kill-switch for the model 'model-a'");
    }

    @Test
    void anAnswerStreamingOverV1StopsWithinASecondWithTheMessageInTheStream() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            words.add("word" + i + " ");
        }
        model.chunkDelay(Duration.ofMillis(100));
        model.enqueue(new ScriptedModelServer.Text(words));
        LiveStream live = LiveStream.open(portal.baseUrl() + "/v1/chat/completions", Map.of("model", "model-b", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "Tell me a long story"))), portal.browser(),
                "Authorization", "Bearer " + bobToken);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.events.size() >= 4);

        long pulledAt = System.nanoTime();
        pull(admin, "GLOBAL", null);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> live.first(e -> e.data().contains("\"error\"")).isPresent());
        LiveStream.Received error = live.first(e -> e.data().contains("\"error\"")).orElseThrow();
        System.out.printf("Kill-switch: the /v1 stream stopped %d ms after the switch was pulled%n", (error.nanos() - pulledAt) / 1_000_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> live.finished);

        assertThat(live.status).isEqualTo(200);
        assertThat(error.json().path("error").path("message").asText()).contains("pulled the kill-switch");
        assertThat(live.first(e -> e.data().equals("[DONE]"))).isEmpty();
        assertThat(live.events.getLast()).isEqualTo(error);
    }

    /** The content of the tool result the portal sent back to the model in request {@code index}. */
    private static String lastToolMessage(int index) {
        JsonNode messages = model.requests().get(index).path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }
}
