package io.gatehouse.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scripts use the official OpenAI client against Gatehouse with a personal token. */
class OpenAiApiTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static String token;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        WebSession admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "sk-upstream", "scripted-model");
        token = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "openai client")).body()).path("token").asText();
        client = OpenAIOkHttpClient.builder().baseUrl(portal.baseUrl() + "/v1").apiKey(token).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        portal.close();
        model.close();
    }

    @Test
    void theOfficialClientListsTheConfiguredModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly("scripted-model");
    }

    @Test
    void theOfficialClientGetsACompletion() {
        model.enqueue(ScriptedModelServer.text("Forty", "-two."));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("scripted-model").addSystemMessage("Be brief.").addUserMessage("What is six times seven?").maxCompletionTokens(50).build());

        assertThat(completion.choices().getFirst().message().content()).contains("Forty-two.");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(2);
        JsonNode upstream = model.requests().getLast();
        assertThat(upstream.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(upstream.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(model.authorizationHeaders().getLast()).isEqualTo("Bearer sk-upstream").doesNotContain(token);
    }

    @Test
    void theOfficialClientStreamsTheCompletionInOrder() {
        model.enqueue(ScriptedModelServer.text("One, ", "two, ", "three."));
        List<String> pieces = new ArrayList<>();
        List<Long> usage = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("scripted-model").addUserMessage("Count to three")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(pieces::add));
                chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
            });
        }

        assertThat(String.join("", pieces)).isEqualTo("One, two, three.");
        assertThat(pieces).containsSubsequence("One, ", "two, ", "three.");
        assertThat(usage).containsExactly(3L);
    }

    @Test
    void anUnknownModelIsA404ForTheClient() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-does-not-exist").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("gpt-does-not-exist");
    }

    @Test
    void aWrongTokenIsA401ForTheClient() {
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(portal.baseUrl() + "/v1").apiKey("gh_wrong").maxRetries(0).build();
        try {
            assertThatThrownBy(() -> wrong.models().list()).isInstanceOf(UnauthorizedException.class);
        } finally {
            wrong.close();
        }
    }

    @Test
    void badRequestsGetOpenAiStyleErrorsWithTheRightStatus() {
        WebSession script = portal.browser();
        String auth = "Bearer " + token;

        var badJson = script.postJson("/v1/chat/completions", "{\"model\": ", "Authorization", auth);
        var noMessages = script.postJson("/v1/chat/completions", Map.of("model", "scripted-model"), "Authorization", auth);
        var badRole = script.postJson("/v1/chat/completions",
                Map.of("model", "scripted-model", "messages", List.of(Map.of("role", "wizard", "content", "x"))), "Authorization", auth);
        var noToken = script.postJson("/v1/chat/completions", Map.of("model", "scripted-model"));
        var unknownModel = script.postJson("/v1/chat/completions",
                Map.of("model", "nope", "messages", List.of(Map.of("role", "user", "content", "x"))), "Authorization", auth);

        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(error(badJson).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(badJson).path("message").asText()).contains("JSON");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(error(noMessages).path("param").asText()).isEqualTo("messages");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(error(badRole).path("param").asText()).isEqualTo("messages[0].role");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(error(noToken).path("type").asText()).isEqualTo("authentication_error");
        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(error(unknownModel).path("code").asText()).isEqualTo("model_not_found");
        assertThat(error(unknownModel).path("param").isNull()).isTrue();
    }

    @Test
    void theSessionCookieIsNotAcceptedOnTheScriptApi() {
        assertThat(portal.admin().get("/v1/models").statusCode()).isEqualTo(401);
    }

    private static JsonNode error(java.net.http.HttpResponse<String> response) {
        return WebSession.parse(response.body()).path("error");
    }
}
