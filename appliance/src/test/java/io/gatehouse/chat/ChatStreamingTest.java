package io.gatehouse.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatStreamingTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        model.requireApiKey("sk-scripted");
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "sk-scripted", "scripted-model", "scripted-large");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void theAnswerStreamsInOrderAndBothMessagesAreStoredInMongoDb() {
        model.enqueue(ScriptedModelServer.text("Revenue ", "grew ", "12% ", "in ", "Q3."));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How did revenue do in Q3?", "model", "scripted-model"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.events()).extracting(WebSession.SseEvent::name)
                .containsExactly("conversation", "delta", "delta", "delta", "delta", "delta", "done");
        List<String> deltas = new ArrayList<>();
        result.named("delta").forEach(e -> deltas.add(e.json().path("text").asText()));
        assertThat(deltas).containsExactly("Revenue ", "grew ", "12% ", "in ", "Q3.");
        JsonNode done = result.named("done").getFirst().json();
        assertThat(done.path("outputTokens").asInt()).isEqualTo(5);
        assertThat(done.path("inputTokens").asInt()).isPositive();

        String conversationId = result.named("conversation").getFirst().json().path("conversationId").asText();
        List<Document> stored = portal.mongo().getCollection("messages").find(Filters.eq("conversationId", conversationId))
                .sort(new Document("createdAt", 1)).into(new ArrayList<>());
        assertThat(stored).extracting(d -> d.getString("role")).containsExactly("user", "assistant");
        assertThat(stored.get(0).getString("text")).isEqualTo("How did revenue do in Q3?");
        assertThat(stored.get(1).getString("text")).isEqualTo("Revenue grew 12% in Q3.");
        assertThat(stored.get(1).getString("model")).isEqualTo("scripted-model");
        assertThat(stored.get(1).getInteger("outputTokens")).isEqualTo(5);
        assertThat(stored.get(1).getString("status")).isEqualTo("complete");
        assertThat(stored.get(1).getDate("createdAt")).isNotNull();
    }

    @Test
    void aFollowUpSendsTheEarlierTurnsAndTheChosenModelToTheProvider() {
        var first = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Remember the number 42.", "model", "scripted-large"));
        String id = first.named("conversation").getFirst().json().path("conversationId").asText();

        admin.postForEvents("/api/v1/chat/messages", Map.of("conversationId", id, "message", "Which number?"));

        JsonNode sent = model.requests().getLast();
        assertThat(sent.path("model").asText()).isEqualTo("scripted-large");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        List<String> roles = new ArrayList<>();
        sent.path("messages").forEach(m -> roles.add(m.path("role").asText() + ":" + m.path("content").asText()));
        assertThat(roles).containsExactly("user:Remember the number 42.", "assistant:You said: Remember the number 42.", "user:Which number?");
        assertThat(model.authorizationHeaders().getLast()).isEqualTo("Bearer sk-scripted");
    }

    @Test
    void conversationsAreListedAndReadableOnlyByTheirOwner() {
        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Mine alone"));
        String id = result.named("conversation").getFirst().json().path("conversationId").asText();
        portal.bean(io.gatehouse.auth.UserAccounts.class).createLocal("other@example.test", "Other", "other user's passphrase", false);
        WebSession other = portal.signedIn("other@example.test", "other user's passphrase");

        assertThat(admin.get("/api/v1/conversations").body()).contains(id);
        JsonNode detail = WebSession.parse(admin.get("/api/v1/conversations/" + id).body());
        assertThat(detail.path("messages")).hasSize(2);
        assertThat(other.get("/api/v1/conversations").body()).doesNotContain(id);
        assertThat(other.get("/api/v1/conversations/" + id).statusCode()).isEqualTo(404);
        assertThat(other.postForEvents("/api/v1/chat/messages", Map.of("conversationId", id, "message", "let me in")).status())
                .isEqualTo(404);
    }

    @Test
    void anEmptyMessageOrUnknownModelIsAPlainHttpErrorNotAStream() {
        var empty = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "   "));
        var unknown = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "hi", "model", "gpt-nonexistent"));

        assertThat(empty.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.raw()).contains("gpt-nonexistent");
    }

    @Test
    void theChatPageShowsThePastConversationWithItsMessages() {
        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Show me on the page"));
        String id = result.named("conversation").getFirst().json().path("conversationId").asText();

        String page = admin.get("/c/" + id, "Accept", "text/html").body();

        assertThat(page).contains("Show me on the page").contains("You said: Show me on the page").contains("scripted-model");
        assertThat(admin.get("/", "Accept", "text/html").body()).contains("/c/" + id);
    }
}
