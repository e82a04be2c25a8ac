package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any server that speaks {@code POST <base>/chat/completions} in the OpenAI format: OpenAI, vLLM, LM Studio,
 * llama.cpp, LiteLLM ... The base URL includes the version segment, e.g. {@code https://api.openai.com/v1}.
 * Tools are sent as OpenAI function tools; streamed tool calls arrive in fragments and are joined by index.
 */
final class OpenAiCompatibleProvider implements ModelProvider {

    private static final String LABEL = "The model provider";

    private final ProviderEndpoint endpoint;

    OpenAiCompatibleProvider(ProviderEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public boolean supportsTools() {
        return true;
    }

    @Override
    public ModelResult complete(ModelRequest request) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, false), LABEL);
        JsonNode body = ProviderHttp.readJson(exchange.body(), LABEL);
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE, LABEL + " returned no choices.");
        }
        JsonNode message = choice.path("message");
        String text = message.path("content").asText("");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new ToolCall(call.path("id").asText(), call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText("{}")));
        }
        return exchange.finish(new ModelResult(text, usage(body.path("usage"), request, text), choice.path("finish_reason").asText("stop"), calls));
    }

    @Override
    public ModelResult stream(ModelRequest request, StreamObserver observer) {
        ProviderHttp.Exchange exchange = ProviderHttp.send(endpoint, post(request, true), LABEL);
        StringBuilder text = new StringBuilder();
        Map<Integer, ToolCallFragments> calls = new TreeMap<>();
        String finish = null;
        boolean done = false;
        JsonNode usage = null;
        try (ServerSentEvents events = new ServerSentEvents(exchange.body())) {
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
                JsonNode delta = choice.path("delta");
                String content = delta.path("content").asText("");
                if (!content.isEmpty()) {
                    text.append(content);
                    observer.onDelta(content);
                }
                for (JsonNode fragment : delta.path("tool_calls")) {
                    calls.computeIfAbsent(fragment.path("index").asInt(0), i -> new ToolCallFragments()).add(fragment);
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
        List<ToolCall> toolCalls = calls.values().stream().map(ToolCallFragments::toCall).toList();
        return exchange.finish(new ModelResult(full, usage(usage, request, full), finish == null ? "stop" : finish, toolCalls));
    }

    private ProviderHttp.Post post(ModelRequest request, boolean stream) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode node = messages.addObject().put("role", m.role());
            if (m.content() == null) {
                node.putNull("content");
            } else {
                node.put("content", m.content());
            }
            if (m.toolCalls() != null) {
                ArrayNode calls = node.putArray("tool_calls");
                for (ToolCall call : m.toolCalls()) {
                    ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                    c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                }
            }
            if (m.toolCallId() != null) {
                node.put("tool_call_id", m.toolCallId());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name()).put("description", tool.description()).set("parameters", tool.inputSchema());
            }
        }
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
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
                .header("Accept", stream ? "text/event-stream" : "application/json");
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return new ProviderHttp.Post(builder, ProviderHttp.jsonBytes(body));
    }

    private static Usage usage(JsonNode usage, ModelRequest request, String output) {
        if (usage == null || usage.isMissingNode() || !usage.has("prompt_tokens")) {
            return Usage.estimate(request, output);
        }
        return new Usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), true);
    }

    /** A streamed tool call arrives as an id and name first, then its arguments in pieces. */
    private static final class ToolCallFragments {
        private String id = "";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();

        void add(JsonNode fragment) {
            if (fragment.hasNonNull("id")) {
                id = fragment.get("id").asText();
            }
            JsonNode function = fragment.path("function");
            if (function.hasNonNull("name")) {
                name = name + function.get("name").asText();
            }
            if (function.hasNonNull("arguments")) {
                arguments.append(function.get("arguments").asText());
            }
        }

        ToolCall toCall() {
            return new ToolCall(id, name, arguments.isEmpty() ? "{}" : arguments.toString());
        }
    }
}
