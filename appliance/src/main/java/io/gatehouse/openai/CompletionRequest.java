package io.gatehouse.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.chat.ChatPipeline;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code /v1/chat/completions} body, validated with OpenAI-style messages. Text content only for now
 * (string or text parts); tools and images are refused with a clear error rather than silently dropped.
 */
record CompletionRequest(ChatPipeline.Turn turn, boolean stream, boolean includeUsage) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    static CompletionRequest parse(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw invalid(null, "We could not parse the JSON body of your request. Send a JSON object with 'model' and 'messages'.");
        }
        if (root == null || !root.isObject()) {
            throw invalid(null, "The request body must be a JSON object with 'model' and 'messages'.");
        }
        JsonNode model = root.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw invalid("model", "You must provide a model parameter.");
        }
        if (root.has("tools") && root.get("tools").size() > 0) {
            throw invalid("tools", "Tools are not supported on this endpoint yet; connectors are used through the portal's own tool calls.");
        }
        JsonNode messages = root.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("messages", "'messages' must be a non-empty array.");
        }
        List<ChatMessage> parsed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw invalid("messages[" + i + "].role", "Unsupported role '" + role + "'. Use system, developer, user or assistant.");
            }
            parsed.add(new ChatMessage("developer".equals(role) ? ChatMessage.SYSTEM : role, content(m.path("content"), i)));
        }
        Integer maxTokens = optionalInt(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalInt(root, "max_tokens");
        }
        Double temperature = null;
        if (root.hasNonNull("temperature")) {
            if (!root.get("temperature").isNumber() || root.get("temperature").asDouble() < 0 || root.get("temperature").asDouble() > 2) {
                throw invalid("temperature", "'temperature' must be a number between 0 and 2.");
            }
            temperature = root.get("temperature").asDouble();
        }
        JsonNode stream = root.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw invalid("stream", "'stream' must be true or false.");
        }
        boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
        return new CompletionRequest(new ChatPipeline.Turn(model.asText(), List.copyOf(parsed), maxTokens, temperature),
                stream.asBoolean(false), includeUsage);
    }

    private static String content(JsonNode content, int index) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText())) {
                    throw invalid("messages[" + index + "].content", "Only text content parts are supported.");
                }
                text.append(part.path("text").asText());
            }
            return text.toString();
        }
        throw invalid("messages[" + index + "].content", "Each message needs 'content' as a string or an array of text parts.");
    }

    private static Integer optionalInt(JsonNode root, String field) {
        if (!root.hasNonNull(field)) {
            return null;
        }
        JsonNode value = root.get(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw invalid(field, "'" + field + "' must be a positive integer.");
        }
        return value.asInt();
    }

    private static GatehouseException invalid(String param, String message) {
        return new GatehouseException.BadRequest("invalid-request", message, param);
    }
}
