package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call: its name as the model sees it, a description, and a JSON Schema for its arguments. */
public record ToolSpec(String name, String description, JsonNode inputSchema) {
}
