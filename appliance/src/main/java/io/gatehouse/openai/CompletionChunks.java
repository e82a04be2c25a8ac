package io.gatehouse.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.model.ModelResult;
import io.gatehouse.model.Usage;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Builds OpenAI wire-format completion objects and stream chunks. */
final class CompletionChunks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CompletionChunks() {
    }

    static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "chatcmpl-" + HexFormat.of().formatHex(bytes);
    }

    static ObjectNode completion(ObjectMapper json, String id, long created, String model, ModelResult result) {
        ObjectNode root = header(json, id, created, model, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", result.text());
        choice.put("finish_reason", result.finishReason());
        usage(root.putObject("usage"), result.usage());
        return root;
    }

    static String roleChunk(ObjectMapper json, String id, long created, String model) {
        ObjectNode root = header(json, id, created, model, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("finish_reason");
        return root.toString();
    }

    static String deltaChunk(ObjectMapper json, String id, long created, String model, String text) {
        ObjectNode root = header(json, id, created, model, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", text);
        choice.putNull("finish_reason");
        return root.toString();
    }

    static String finishChunk(ObjectMapper json, String id, long created, String model, String finishReason) {
        ObjectNode root = header(json, id, created, model, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        return root.toString();
    }

    static String usageChunk(ObjectMapper json, String id, long created, String model, Usage usage) {
        ObjectNode root = header(json, id, created, model, "chat.completion.chunk");
        root.putArray("choices");
        usage(root.putObject("usage"), usage);
        return root.toString();
    }

    private static ObjectNode header(ObjectMapper json, String id, long created, String model, String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode node, Usage usage) {
        node.put("prompt_tokens", usage.inputTokens()).put("completion_tokens", usage.outputTokens()).put("total_tokens", usage.totalTokens());
    }
}
