package io.gatehouse.approval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * An action grant's argument limits against the arguments of one call, as a pure function: {@code {"amount":
 * {"max": 500, "min": 1}, "currency": {"oneOf": ["EUR"]}}}. Fail closed: a constrained argument that is missing,
 * not a number where a bound applies, or anything the limits do not say clearly, refuses the call.
 */
final class ArgumentLimits {

    /**
     * Numbers are read exactly (BigDecimal), so 500.0000001 is over 500 and a huge integer is not rounded; a
     * key sent twice is refused, so the check and the connector can never read two different values.
     */
    static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private ArgumentLimits() {
    }

    /** Why the call is outside the limits, or empty when it is within them (or there are none). */
    static Optional<String> violation(@Nullable String limitsJson, @Nullable String argumentsJson) {
        if (limitsJson == null || limitsJson.isBlank()) {
            return Optional.empty();
        }
        JsonNode limits = read(limitsJson);
        if (limits == null || !limits.isObject()) {
            return Optional.of("the limits for this action cannot be read; an admin must fix them");
        }
        JsonNode arguments = argumentsJson == null || argumentsJson.isBlank() ? EXACT.createObjectNode() : read(argumentsJson);
        if (arguments == null || !arguments.isObject()) {
            return Optional.of("the arguments are not one JSON object (each name once)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> limit = it.next();
            Optional<String> broken = check(limit.getKey(), limit.getValue(), arguments.get(limit.getKey()));
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> check(String name, JsonNode rule, @Nullable JsonNode value) {
        if (!rule.isObject() || rule.isEmpty()) {
            return Optional.of("the limit for '" + name + "' cannot be read; an admin must fix it");
        }
        if (value == null || value.isNull()) {
            return Optional.of("'" + name + "' is limited and must be given");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> part = it.next();
            JsonNode bound = part.getValue();
            switch (part.getKey()) {
                case "max", "min" -> {
                    if (!bound.isNumber()) {
                        return Optional.of("the limit for '" + name + "' cannot be read; an admin must fix it");
                    }
                    BigDecimal number = number(value);
                    if (number == null) {
                        return Optional.of("'" + name + "' must be a number");
                    }
                    int order = number.compareTo(bound.decimalValue());
                    if (part.getKey().equals("max") && order > 0) {
                        return Optional.of("'" + name + "' is " + number.toPlainString() + ", over the maximum of "
                                + bound.decimalValue().toPlainString());
                    }
                    if (part.getKey().equals("min") && order < 0) {
                        return Optional.of("'" + name + "' is " + number.toPlainString() + ", under the minimum of "
                                + bound.decimalValue().toPlainString());
                    }
                }
                case "oneOf" -> {
                    if (!bound.isArray()) {
                        return Optional.of("the limit for '" + name + "' cannot be read; an admin must fix it");
                    }
                    boolean allowed = false;
                    for (JsonNode candidate : bound) {
                        allowed |= same(candidate, value);
                    }
                    if (!allowed) {
                        return Optional.of("'" + name + "' must be one of " + bound + ", not " + value);
                    }
                }
                default -> {
                    return Optional.of("the limit for '" + name + "' has an unknown rule '" + part.getKey() + "'; an admin must fix it");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A JSON number, or a string holding exactly a number: a model often sends amounts as strings and the tool
     * may well accept them, so a numeric string must not slip past a maximum.
     */
    private static @Nullable BigDecimal number(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /** Equal JSON values of the same type; numbers compare by value (5 equals 5.0), strings exactly. */
    private static boolean same(JsonNode allowed, JsonNode value) {
        if (allowed.isNumber() && value.isNumber()) {
            return allowed.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return allowed.getNodeType() == value.getNodeType() && allowed.equals(value);
    }

    private static @Nullable JsonNode read(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
