package io.gatehouse.connector.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declarative description of a connector, {@code connector.json} at the root of its classpath: what
 * the portal shows an admin before the connector first runs (tools and their effect, config fields and
 * which are secret, egress hosts). At start it is cross-checked against the tools the code declares, so
 * the two can never drift apart silently.
 */
public record ConnectorManifest(String id, String version, String description, List<ToolEntry> tools,
        List<ConfigField> config, List<String> egress) {

    public static final String RESOURCE = "/connector.json";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public ConnectorManifest {
        tools = List.copyOf(Objects.requireNonNullElse(tools, List.of()));
        config = List.copyOf(Objects.requireNonNullElse(config, List.of()));
        egress = List.copyOf(Objects.requireNonNullElse(egress, List.of()));
    }

    /** A tool as the manifest declares it. */
    public record ToolEntry(String name, boolean readOnly, boolean destructive) {
    }

    /** A configuration field read from the environment variable {@code env}. */
    public record ConfigField(String name, String env, ConfigType type, boolean secret, boolean required,
            String description, @JsonProperty("default") String defaultValue) {
    }

    public enum ConfigType {
        @JsonProperty("string") STRING,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("boolean") BOOLEAN
    }

    /** Reads {@value #RESOURCE} from the classpath and validates it. */
    public static ConnectorManifest load() {
        try (InputStream in = ConnectorManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ConnectorStartupException(
                        "No " + RESOURCE.substring(1) + " on the classpath: every connector ships its manifest there");
            }
            return parse(in);
        } catch (IOException e) {
            throw new ConnectorStartupException("Cannot read " + RESOURCE.substring(1) + ": " + e.getMessage(), e);
        }
    }

    public static ConnectorManifest parse(InputStream json) {
        ConnectorManifest manifest;
        try {
            manifest = MAPPER.readValue(json, ConnectorManifest.class);
        } catch (IOException e) {
            throw new ConnectorStartupException("connector.json is not valid: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        manifest.validate();
        return manifest;
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id must be lower-case letters, digits and '-' (got " + quote(id) + ")");
        }
        if (version == null || version.isBlank()) {
            problems.add("version is missing");
        }
        if (description == null || description.isBlank()) {
            problems.add("description is missing");
        }
        Set<String> toolNames = new HashSet<>();
        for (ToolEntry tool : tools) {
            if (tool.name() == null || !toolNames.add(tool.name())) {
                problems.add("tool name " + quote(tool.name()) + " is missing or declared twice");
            }
            if (tool.readOnly() && tool.destructive()) {
                problems.add("tool " + tool.name() + " cannot be both readOnly and destructive");
            }
        }
        Set<String> fieldNames = new HashSet<>();
        Set<String> envNames = new HashSet<>();
        for (ConfigField field : config) {
            if (field.name() == null || !fieldNames.add(field.name())) {
                problems.add("config field " + quote(field.name()) + " is missing a name or declared twice");
            }
            if (field.env() == null || !ENV.matcher(field.env()).matches() || !envNames.add(field.env())) {
                problems.add("config field " + field.name() + " needs a unique upper-case env name (got "
                        + quote(field.env()) + ")");
            } else if (field.env().startsWith("GATEHOUSE_")) {
                problems.add("config field " + field.name() + ": env names starting with GATEHOUSE_ are reserved");
            }
            if (field.type() == null) {
                problems.add("config field " + field.name() + " needs a type (string, integer or boolean)");
            }
            if (field.required() && field.defaultValue() != null) {
                problems.add("config field " + field.name() + " is required, so it cannot have a default");
            }
            if (field.secret() && field.defaultValue() != null) {
                problems.add("config field " + field.name() + " is secret, so it cannot have a default");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConnectorStartupException("connector.json is not valid: " + String.join("; ", problems));
        }
    }

    /**
     * Refuses a connector whose code declares other tools, or other effects, than its manifest: the admin
     * approved the manifest, so the running tools must be exactly those.
     */
    void verifyTools(List<Tool<?>> declared) {
        Map<String, ToolEntry> inManifest = new LinkedHashMap<>();
        tools.forEach(entry -> inManifest.put(entry.name(), entry));
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Tool<?> tool : declared) {
            if (!seen.add(tool.name())) {
                problems.add("tool " + tool.name() + " is declared twice in code");
                continue;
            }
            ToolEntry entry = inManifest.get(tool.name());
            if (entry == null) {
                problems.add("tool " + tool.name() + " is declared in code but missing from connector.json");
            } else if (entry.readOnly() != tool.effect().readOnly()
                    || entry.destructive() != tool.effect().destructive()) {
                problems.add("tool " + tool.name() + ": connector.json says readOnly=" + entry.readOnly()
                        + ", destructive=" + entry.destructive() + " but the code declares readOnly="
                        + tool.effect().readOnly() + ", destructive=" + tool.effect().destructive());
            }
        }
        inManifest.keySet().stream()
                .filter(name -> !seen.contains(name))
                .forEach(name -> problems.add("tool " + name + " is in connector.json but no tool group declares it"));
        if (!problems.isEmpty()) {
            throw new ConnectorStartupException("Connector " + id + " does not match its connector.json: "
                    + String.join("; ", problems));
        }
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
