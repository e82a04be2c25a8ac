package io.gatehouse.license;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The license file as it is stored and sent: {@code {"format":"gatehouse-license-1","payload":"<base64url>",
 * "signature":"<base64url>"}}. The payload stays base64 text so the signed bytes are exactly the bytes verified:
 * nothing is ever re-serialised between signing and checking.
 */
public record SignedLicense(String format, String payload, String signature) {

    public static final String FORMAT = "gatehouse-license-1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file's text (pretty-printed JSON, newline at the end). */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", format);
        node.put("payload", payload);
        node.put("signature", signature);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three fields of a license file, or empty when the text is not a JSON object holding them as strings. */
    public static Optional<SignedLicense> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject() || !node.path("format").isTextual() || !node.path("payload").isTextual()
                    || !node.path("signature").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new SignedLicense(node.get("format").asText(), node.get("payload").asText(), node.get("signature").asText()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
