package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ollama's native API, {@code POST <base>/api/chat}; streamed answers are newline-delimited JSON, not SSE.
 * The base URL is the server root, e.g. {@code http://localhost:11434}.
 */
final class OllamaProvider implements ModelProvider {

    private static final String LABEL = "Ollama";

    private final ProviderEndpoint endpoint;

    OllamaProvider(ProviderEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ModelResult complete(ModelRequest request) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, false), LABEL);
        JsonNode body = ProviderHttp.readJson(exchange.body(), LABEL);
        failIfError(body);
        if (!body.path("message").isObject()) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE, LABEL + " returned no message.");
        }
        String text = body.path("message").path("content").asText("");
        return exchange.finish(new ModelResult(text, usage(body, request, text), body.path("done_reason").asText("stop")));
    }

    @Override
    public ModelResult stream(ModelRequest request, StreamObserver observer) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, true), LABEL);
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(exchange.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (observer.cancelled()) {
                    throw new ModelCallException(ModelCallException.Kind.CANCELLED, "The model call was cancelled.");
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = ProviderHttp.JSON.readTree(line);
                failIfError(chunk);
                String delta = chunk.path("message").path("content").asText("");
                if (!delta.isEmpty()) {
                    text.append(delta);
                    observer.onDelta(delta);
                }
                if (chunk.path("done").asBoolean(false)) {
                    last = chunk;
                    break;
                }
            }
        } catch (IOException e) {
            throw ProviderHttp.brokenStream(LABEL, e);
        }
        if (last == null) {
            // The connection closed cleanly but the answer never finished: do not pass a truncated answer off as whole.
            throw new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR,
                    LABEL + " stopped sending before the answer was complete.");
        }
        String full = text.toString();
        return exchange.finish(new ModelResult(full, usage(last, request, full), last.path("done_reason").asText("stop")));
    }

    private ProviderHttp.Post post(ModelRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put("messages", request.messages());
        body.put("stream", stream);
        Map<String, Object> options = new LinkedHashMap<>();
        if (request.maxTokens() != null) {
            options.put("num_predict", request.maxTokens());
        }
        if (request.temperature() != null) {
            options.put("temperature", request.temperature());
        }
        if (!options.isEmpty()) {
            body.put("options", options);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve("/api/chat"))
                .timeout(endpoint.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "application/x-ndjson" : "application/json");
        // Ollama itself has no keys, but reverse proxies in front of it often check a bearer token.
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return new ProviderHttp.Post(builder, ProviderHttp.jsonBytes(body));
    }

    private static void failIfError(JsonNode node) {
        if (node.hasNonNull("error")) {
            throw new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR,
                    LABEL + " failed while answering: " + node.get("error").asText("unknown error"));
        }
    }

    private static Usage usage(JsonNode done, ModelRequest request, String output) {
        // Older Ollama versions leave out prompt_eval_count when the prompt was cached; then both are estimated.
        if (!done.has("prompt_eval_count") || !done.has("eval_count")) {
            return Usage.estimate(request, output);
        }
        return new Usage(done.get("prompt_eval_count").asInt(), done.get("eval_count").asInt(), true);
    }
}
