package io.gatehouse.stack.dockerproxy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a request body the way the engine will, so what the proxy checks is what the engine runs. The engine's Go
 * decoder matches object keys to fields ignoring case and, for a repeated key, merges or keeps the last value; Jackson
 * matches exactly. A body with a key twice, or two keys that differ only in case ({@code HostConfig} and
 * {@code hostconfig}) with different values, could therefore show the proxy one configuration and the engine another:
 * such bodies are refused, and every field is then looked up ignoring case. (docker-java itself sends some fields
 * under two spellings with the same value, e.g. {@code EnableIPv6}/{@code EnableIpv6}: that is no ambiguity.)
 */
final class StrictJson {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StrictJson() {
    }

    /** The body as an object, or why it cannot be checked. */
    static Parsed parse(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Parsed(null, "the body is not JSON (or has a key twice): " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed(null, "the body could not be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            return new Parsed(null, "the body is not a JSON object");
        }
        return caseDuplicate(json).map(key -> new Parsed(null, "the key '" + key + "' is given twice with different values (keys are compared"
                        + " ignoring case, as the engine does)"))
                .orElseGet(() -> new Parsed(json, null));
    }

    record Parsed(JsonNode json, String problem) {
        boolean ok() {
            return json != null;
        }
    }

    /** The field with this name, ignoring case (there is at most one: {@link #parse} refuses case duplicates). */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return MissingNode.getInstance();
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equalsIgnoreCase(name)) {
                return object.get(key);
            }
        }
        return MissingNode.getInstance();
    }

    static boolean isOneOf(String key, Set<String> names) {
        return names.stream().anyMatch(key::equalsIgnoreCase);
    }

    private static Optional<String> caseDuplicate(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> seen = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode earlier = seen.putIfAbsent(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
                if (earlier != null && !earlier.equals(field.getValue())) {
                    return Optional.of(field.getKey());
                }
                Optional<String> nested = caseDuplicate(field.getValue());
                if (nested.isPresent()) {
                    return nested;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                Optional<String> nested = caseDuplicate(item);
                if (nested.isPresent()) {
                    return nested;
                }
            }
        }
        return Optional.empty();
    }
}
