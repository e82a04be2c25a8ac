package io.gatehouse.connector.sdk;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One tool as data: name, description, effect (MCP annotations), JSON input schema and a handler bound to
 * a record of arguments.
 *
 * <pre>{@code
 * Tool.named("list_tables")
 *     .description("Lists the tables and views of a schema.")
 *     .effect(ToolEffect.READ_ONLY)
 *     .inputSchema("""
 *         {"type": "object", "properties": {"schema": {"type": "string"}},
 *          "required": ["schema"], "additionalProperties": false}""")
 *     .handler(ListTables.class, this::listTables);
 * }</pre>
 *
 * @param inputSchema a JSON Schema (2020-12) object as JSON text
 * @param <A> the arguments record
 */
public record Tool<A>(String name, String description, ToolEffect effect, String inputSchema,
        Class<A> argumentsType, ToolHandler<A> handler) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public Tool {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Tool name '" + name
                    + "' must be lower-case letters, digits and underscores, starting with a letter (max 64)");
        }
        requireText(description, "description of tool " + name);
        Objects.requireNonNull(effect, "effect of tool " + name);
        requireText(inputSchema, "input schema of tool " + name);
        Objects.requireNonNull(argumentsType, "arguments type of tool " + name);
        Objects.requireNonNull(handler, "handler of tool " + name);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing " + what);
        }
    }

    public static final class Builder {
        private final String name;
        private String description;
        private ToolEffect effect;
        private String inputSchema;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder effect(ToolEffect effect) {
            this.effect = effect;
            return this;
        }

        public Builder inputSchema(String inputSchemaJson) {
            this.inputSchema = inputSchemaJson;
            return this;
        }

        public <A> Tool<A> handler(Class<A> argumentsType, ToolHandler<A> handler) {
            return new Tool<>(name, description, effect, inputSchema, argumentsType, handler);
        }
    }
}
