package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any server that speaks {@code POST <base>/chat/completions} in the OpenAI format: OpenAI, vLLM, LM Studio,
 * llama.cpp, LiteLLM ... The base URL includes the version segment, e.g. {@code https://api.openai.com/v1}.
 */
final class OpenAiCompatibleProvider implements ModelProvider {

    private static final String LABEL = "The model provider";

    private final ProviderEndpoint endpoint;

    OpenAiCompatibleProvider(ProviderEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ModelResult complete(ModelRequest request) {
        InputStream answer = ProviderHttp.send(endpoint, httpRequest(request, false), LABEL);
        JsonNode body = ProviderHttp.readJson(answer, LABEL);
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE, LABEL + " returned no choices.");
        }
        String text = choice.path("message").path("content").asText("");
        return new ModelResult(text, usage(body.path("usage"), request, text), choice.path("finish_reason").asText("stop"));
    }

    @Override
    public ModelResult stream(ModelRequest request, StreamObserver observer) {
        InputStream answer = ProviderHttp.send(endpoint, httpRequest(request, true), LABEL);
        StringBuilder text = new StringBuilder();
        String finish = null;
        boolean done = false;
        JsonNode usage = null;
        try (ServerSentEvents events = new ServerSentEvents(answer)) {
            ServerSentEvents.Event event;
            while ((event = events.next()) != null) {
                if (observer.cancelled()) {
                    throw new ModelCallException(ModelCallException.Kind.CANCELLED, "The model call was cancelled.");
                }
                if ("[DONE]".equals(event.data())) {
                    done = true;
                    break;
                }
                JsonNode chunk = ProviderHttp.JSON.readTree(event.data());
                if (chunk.has("error")) {
                    throw new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR,
                            LABEL + " failed while answering: " + chunk.path("error").path("message").asText("unknown error"));
                }
                JsonNode choice = chunk.path("choices").path(0);
                String delta = choice.path("delta").path("content").asText("");
                if (!delta.isEmpty()) {
                    text.append(delta);
                    observer.onDelta(delta);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
            }
        } catch (IOException e) {
            throw ProviderHttp.brokenStream(LABEL, e);
        }
        if (!done && finish == null) {
            // The connection closed cleanly but the answer never finished: do not pass a truncated answer off as whole.
            throw new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR,
                    LABEL + " stopped sending before the answer was complete.");
        }
        String full = text.toString();
        return new ModelResult(full, usage(usage, request, full), finish == null ? "stop" : finish);
    }

    private HttpRequest httpRequest(ModelRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put("messages", request.messages());
        body.put("stream", stream);
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve("/chat/completions"))
                .timeout(endpoint.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.toJson(body)));
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return builder.build();
    }

    private static Usage usage(JsonNode usage, ModelRequest request, String output) {
        if (usage == null || usage.isMissingNode() || !usage.has("prompt_tokens")) {
            return Usage.estimate(request, output);
        }
        return new Usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), true);
    }
}
