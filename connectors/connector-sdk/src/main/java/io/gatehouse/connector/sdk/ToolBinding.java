package io.gatehouse.connector.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link Tool} into the MCP SDK's tool specification: arguments bound to the tool's record once,
 * domain failures as {@code isError} results, anything unexpected as a JSON-RPC error that names no
 * internals (the stack trace goes to the connector's log).
 */
final class ToolBinding<A> {

    private static final Logger log = LoggerFactory.getLogger(ToolBinding.class);

    private final Tool<A> tool;
    private final ObjectMapper mapper;

    private ToolBinding(Tool<A> tool, ObjectMapper mapper) {
        this.tool = tool;
        this.mapper = mapper;
    }

    static <A> SyncToolSpecification specification(Tool<A> tool, ObjectMapper mapper) {
        ToolBinding<A> binding = new ToolBinding<>(tool, mapper);
        McpSchema.Tool declared = McpSchema.Tool.builder(tool.name(), binding.inputSchema())
                .description(tool.description())
                .annotations(McpSchema.ToolAnnotations.builder()
                        .readOnlyHint(tool.effect().readOnly())
                        .destructiveHint(tool.effect().destructive())
                        .build())
                .build();
        return SyncToolSpecification.builder()
                .tool(declared)
                .callHandler((exchange, request) -> binding.call(request.arguments()))
                .build();
    }

    private Map<String, Object> inputSchema() {
        try {
            return mapper.readValue(tool.inputSchema(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new ConnectorStartupException("The input schema of tool " + tool.name() + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    CallToolResult call(Map<String, Object> arguments) {
        A bound;
        try {
            bound = mapper.convertValue(arguments == null ? Map.of() : arguments, tool.argumentsType());
        } catch (IllegalArgumentException e) {
            return failure("Invalid arguments for " + tool.name() + ": "
                    + e.getMessage().lines().findFirst().orElse("cannot bind them"));
        }
        try {
            return success(tool.handler().handle(bound));
        } catch (ToolFailure failure) {
            return failure(failure.getMessage());
        } catch (RuntimeException e) {
            log.error("Tool {} failed unexpectedly", tool.name(), e);
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message("Tool " + tool.name() + " failed unexpectedly; the connector log has the details")
                    .build();
        }
    }

    private CallToolResult success(ToolResult result) {
        if (result == null) {
            throw new IllegalStateException("tool " + tool.name() + " returned no result");
        }
        if (result.text() != null) {
            return CallToolResult.builder().addTextContent(result.text()).build();
        }
        JsonNode tree = mapper.valueToTree(result.value());
        CallToolResult.Builder builder;
        try {
            builder = CallToolResult.builder().addTextContent(mapper.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool " + tool.name() + " returned a value that is not JSON", e);
        }
        if (tree.isObject()) {
            // MCP asks for both: structured content for clients that read it, the same JSON as text for the rest.
            builder.structuredContent(mapper.convertValue(tree, new TypeReference<LinkedHashMap<String, Object>>() {
            }));
        }
        return builder.build();
    }

    private static CallToolResult failure(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
