package io.gatehouse.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Model failures reach the user as a clear message; the question and any partial answer are kept. */
class ProviderFailureTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() throws Exception {
        model = ScriptedModelServer.start();
        model.requireApiKey("sk-right");
        portal = TestPortal.start(Map.of("GATEHOUSE_MODEL_TIMEOUT", "2s"));
        admin = portal.admin();
        portal.addProvider(admin, "Good", model.baseUrl(), "sk-right", "good-model");
        portal.addProvider(admin, "Wrong key", model.baseUrl(), "sk-wrong", "wrong-key-model");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        portal.addProvider(admin, "Down", "http://127.0.0.1:" + closedPort + "/v1", "", "down-model");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private List<Document> stored(WebSession.SseResult result) {
        String id = result.named("conversation").getFirst().json().path("conversationId").asText();
        return portal.mongo().getCollection("messages").find(Filters.eq("conversationId", id))
                .sort(new Document("createdAt", 1)).into(new ArrayList<>());
    }

    @Test
    void aRejectedApiKeyIsReportedPlainlyAndTheQuestionIsKept() {
        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Top customers?", "model", "wrong-key-model"));

        assertThat(result.status()).isEqualTo(200);
        String message = result.named("error").getFirst().json().path("message").asText();
        assertThat(message).contains("rejected the API key").contains("Models page").doesNotContain("sk-wrong");
        List<Document> stored = stored(result);
        assertThat(stored).extracting(d -> d.getString("role")).containsExactly("user", "assistant");
        assertThat(stored.get(0).getString("text")).isEqualTo("Top customers?");
        assertThat(stored.get(1).getString("status")).isEqualTo("error");
        assertThat(stored.get(1).getString("error")).isEqualTo(message);
    }

    @Test
    void aRefusedConnectionSaysTheModelServerCannotBeReached() {
        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Hello?", "model", "down-model"));

        assertThat(result.named("error").getFirst().json().path("message").asText())
                .contains("Cannot reach").contains("connection refused");
        assertThat(stored(result)).hasSize(2);
    }

    @Test
    void aSlowProviderTimesOutWithAClearMessage() {
        model.enqueue(new ScriptedModelServer.Hang(Duration.ofSeconds(4)));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Slow one", "model", "good-model"));

        assertThat(result.named("error").getFirst().json().path("message").asText()).contains("did not answer within 2 seconds");
    }

    @Test
    void aProviderThatGoesSilentMidAnswerIsCutOffAfterTheTimeout() {
        model.chunkDelay(Duration.ofSeconds(5));
        try {
            var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Stall please", "model", "good-model"));

            assertThat(result.named("error").getFirst().json().path("message").asText())
                    .contains("stopped sending for 2 seconds");
        } finally {
            model.chunkDelay(Duration.ZERO);
        }
    }

    @Test
    void anAnswerCutOffMidStreamKeepsThePartialTextAndSaysItIsIncomplete() {
        model.enqueue(new ScriptedModelServer.BreakOff(List.of("The first ", "half")));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Long answer please", "model", "good-model"));

        assertThat(result.named("delta").stream().map(e -> e.json().path("text").asText()).reduce("", String::concat))
                .as("every word received before the break reaches the person").isEqualTo("The first half");
        assertThat(result.named("error").getFirst().json().path("message").asText()).contains("before the answer was complete");
        Document answer = stored(result).get(1);
        assertThat(answer.getString("text")).isEqualTo("The first half");
        assertThat(answer.getString("status")).isEqualTo("error");
    }

    @Test
    void aProviderErrorStatusIsReportedWithItsMessage() {
        model.enqueue(ScriptedModelServer.failure(500, "The GPU is on fire"));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Anything", "model", "good-model"));

        assertThat(result.named("error").getFirst().json().path("message").asText()).contains("HTTP 500").contains("The GPU is on fire");
    }

    @Test
    void theSameFailuresReachV1ClientsAsOpenAiStyleErrors() {
        String token = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "failures")).body()).path("token").asText();
        WebSession script = portal.browser();

        var plain = script.postJson("/v1/chat/completions",
                Map.of("model", "wrong-key-model", "messages", List.of(Map.of("role", "user", "content", "hi"))),
                "Authorization", "Bearer " + token);
        var streamed = script.postJson("/v1/chat/completions",
                Map.of("model", "down-model", "stream", true, "messages", List.of(Map.of("role", "user", "content", "hi"))),
                "Authorization", "Bearer " + token);

        assertThat(plain.statusCode()).isEqualTo(502);
        assertThat(WebSession.parse(plain.body()).path("error").path("message").asText()).contains("rejected the API key");
        assertThat(WebSession.parse(plain.body()).path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(streamed.statusCode()).isEqualTo(502);
        assertThat(WebSession.parse(streamed.body()).path("error").path("message").asText()).contains("Cannot reach");
    }
}
