package io.gatehouse.connector.sdk;

import io.gatehouse.connector.sdk.ConnectorManifest.ConfigField;
import io.gatehouse.connector.sdk.ConnectorManifest.ConfigType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The connector's configuration, read from the environment variables its manifest declares, checked
 * once at start (required fields present, integers and booleans parse). A connector turns it into its own
 * config record. Secret values never appear in {@link #toString()} or in error messages.
 */
public final class ConnectorConfig {

    private final Map<String, ConfigField> fields;
    private final Map<String, String> values;

    private ConnectorConfig(Map<String, ConfigField> fields, Map<String, String> values) {
        this.fields = fields;
        this.values = values;
    }

    static ConnectorConfig fromEnvironment(List<ConfigField> declared, Map<String, String> env) {
        Map<String, ConfigField> fields = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ConfigField field : declared) {
            fields.put(field.name(), field);
            String raw = env.get(field.env());
            String value = raw == null || raw.isBlank() ? field.defaultValue() : raw.strip();
            if (value == null) {
                if (field.required()) {
                    problems.add(field.env() + " is required (" + field.description() + ")");
                }
                continue;
            }
            String problem = typeProblem(field, value);
            if (problem != null) {
                problems.add(problem);
                continue;
            }
            values.put(field.name(), value);
        }
        if (!problems.isEmpty()) {
            throw new ConnectorStartupException("Configuration is incomplete: " + String.join("; ", problems));
        }
        return new ConnectorConfig(fields, values);
    }

    private static String typeProblem(ConfigField field, String value) {
        String shown = field.secret() ? "the given value" : "'" + value + "'";
        return switch (field.type()) {
            case STRING -> null;
            case INTEGER -> {
                try {
                    Long.parseLong(value);
                    yield null;
                } catch (NumberFormatException e) {
                    yield field.env() + " must be a whole number, not " + shown;
                }
            }
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? null : field.env() + " must be true or false, not " + shown;
        };
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(field(name, ConfigType.STRING).name()));
    }

    /** A required string field (the manifest marks it required, so it is present after start). */
    public String requiredString(String name) {
        return string(name).orElseThrow(() -> new IllegalStateException(
                "config field " + name + " has no value; mark it required or give it a default in connector.json"));
    }

    public long integer(String name) {
        String value = values.get(field(name, ConfigType.INTEGER).name());
        if (value == null) {
            throw new IllegalStateException(
                    "config field " + name + " has no value; mark it required or give it a default in connector.json");
        }
        return Long.parseLong(value);
    }

    public boolean bool(String name) {
        return Boolean.parseBoolean(values.get(field(name, ConfigType.BOOLEAN).name()));
    }

    /** The env variable that holds a field, for messages that tell an operator what to change. */
    public String envName(String name) {
        ConfigField field = fields.get(name);
        if (field == null) {
            throw new IllegalArgumentException("connector.json declares no config field " + name);
        }
        return field.env();
    }

    private ConfigField field(String name, ConfigType type) {
        ConfigField field = fields.get(name);
        if (field == null) {
            throw new IllegalArgumentException("connector.json declares no config field " + name);
        }
        if (field.type() != type) {
            throw new IllegalArgumentException("config field " + name + " is of type "
                    + field.type().name().toLowerCase(Locale.ROOT) + ", not " + type.name().toLowerCase(Locale.ROOT));
        }
        return field;
    }

    @Override
    public String toString() {
        return fields.values().stream()
                .map(field -> field.name() + "=" + shown(field))
                .collect(Collectors.joining(", ", "ConnectorConfig[", "]"));
    }

    private String shown(ConfigField field) {
        String value = values.get(field.name());
        if (value == null) {
            return "(not set)";
        }
        return field.secret() ? "(secret)" : value;
    }
}
