package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Anthropic's Messages API, {@code POST <base>/v1/messages}. The base URL has no version segment,
 * e.g. {@code https://api.anthropic.com}.
 */
final class AnthropicProvider implements ModelProvider {

    private static final String LABEL = "Anthropic";
    private static final String API_VERSION = "2023-06-01";
    /** Anthropic rejects requests without max_tokens; this applies when the caller set no limit. */
    private static final int DEFAULT_MAX_TOKENS = 4096;

    private final ProviderEndpoint endpoint;

    AnthropicProvider(ProviderEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ModelResult complete(ModelRequest request) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, false), LABEL);
        JsonNode body = ProviderHttp.readJson(exchange.body(), LABEL);
        JsonNode content = body.path("content");
        if (!content.isArray()) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE, LABEL + " returned no content.");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText(""));
            }
        }
        String full = text.toString();
        JsonNode usage = body.path("usage");
        Integer in = usage.has("input_tokens") ? usage.get("input_tokens").asInt() : null;
        Integer out = usage.has("output_tokens") ? usage.get("output_tokens").asInt() : null;
        return exchange.finish(new ModelResult(full, usage(in, out, request, full), finishReason(body.path("stop_reason").asText(null))));
    }

    @Override
    public ModelResult stream(ModelRequest request, StreamObserver observer) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, true), LABEL);
        StringBuilder text = new StringBuilder();
        String finish = null;
        Integer in = null;
        Integer out = null;
        boolean finished = false;
        try (ServerSentEvents events = new ServerSentEvents(exchange.body())) {
            ServerSentEvents.Event event;
            while (!finished && (event = events.next()) != null) {
                if (observer.cancelled()) {
                    throw new ModelCallException(ModelCallException.Kind.CANCELLED, "The model call was cancelled.");
                }
                JsonNode data = ProviderHttp.JSON.readTree(event.data());
                switch (event.name()) {
                    case "message_start" -> {
                        JsonNode usage = data.path("message").path("usage");
                        if (usage.has("input_tokens")) {
                            in = usage.get("input_tokens").asInt();
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode delta = data.path("delta");
                        String chunk = delta.path("text").asText("");
                        if ("text_delta".equals(delta.path("type").asText()) && !chunk.isEmpty()) {
                            text.append(chunk);
                            observer.onDelta(chunk);
                        }
                    }
                    case "message_delta" -> {
                        if (data.path("delta").hasNonNull("stop_reason")) {
                            finish = finishReason(data.path("delta").get("stop_reason").asText());
                        }
                        if (data.path("usage").has("output_tokens")) {
                            out = data.path("usage").get("output_tokens").asInt();
                        }
                    }
                    case "message_stop" -> finished = true;
                    case "error" -> throw streamError(data.path("error"));
                    default -> { } // ping, content_block_start/stop and event types added later carry no text
                }
            }
        } catch (IOException e) {
            throw ProviderHttp.brokenStream(LABEL, e);
        }
        if (!finished && finish == null) {
            // The connection closed cleanly but the answer never finished: do not pass a truncated answer off as whole.
            throw new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR,
                    LABEL + " stopped sending before the answer was complete.");
        }
        String full = text.toString();
        return exchange.finish(new ModelResult(full, usage(in, out, request, full), finish == null ? "stop" : finish));
    }

    private ProviderHttp.Post post(ModelRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : DEFAULT_MAX_TOKENS);
        String system = request.messages().stream()
                .filter(m -> ChatMessage.SYSTEM.equals(m.role()))
                .map(ChatMessage::content)
                .collect(Collectors.joining("\n\n"));
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        List<ChatMessage> messages = request.messages().stream()
                .filter(m -> ChatMessage.USER.equals(m.role()) || ChatMessage.ASSISTANT.equals(m.role()))
                .toList();
        body.put("messages", messages);
        if (request.temperature() != null) {
            body.put("temperature", Math.clamp(request.temperature(), 0.0, 1.0)); // Anthropic rejects values above 1
        }
        body.put("stream", stream);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve("/v1/messages"))
                .timeout(endpoint.requestTimeout())
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .header("anthropic-version", API_VERSION);
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            builder.header("x-api-key", endpoint.apiKey());
        }
        return new ProviderHttp.Post(builder, ProviderHttp.jsonBytes(body));
    }

    private static ModelCallException streamError(JsonNode error) {
        String type = error.path("type").asText("error");
        ModelCallException.Kind kind = switch (type) {
            case "overloaded_error", "rate_limit_error" -> ModelCallException.Kind.RATE_LIMITED;
            default -> ModelCallException.Kind.UPSTREAM_ERROR;
        };
        return new ModelCallException(kind,
                LABEL + " failed while answering: " + error.path("message").asText("unknown error") + " (" + type + ")");
    }

    /** Anthropic's stop reasons in the OpenAI vocabulary the rest of the portal uses. */
    private static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "end_turn" -> "stop";
            case "max_tokens" -> "length";
            default -> stopReason;
        };
    }

    private static Usage usage(Integer in, Integer out, ModelRequest request, String output) {
        return in == null || out == null ? Usage.estimate(request, output) : new Usage(in, out, true);
    }
}
