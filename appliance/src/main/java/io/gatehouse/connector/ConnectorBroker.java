package io.gatehouse.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.auth.Caller;
import io.gatehouse.governance.DispatchGate;
import io.gatehouse.model.ToolCall;
import io.gatehouse.model.ToolSpec;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ToolBroker} over running connectors. Tools reach the model as {@code <connector>__<tool>}.
 * Until roles and grants exist, every signed-in user is offered the read tools of every running connector;
 * action tools (destructive or not read-only) are never offered and never run, whatever the model asks.
 * Each call is authorized again at dispatch from the same rule, never from the model's word.
 */
@Singleton
final class ConnectorBroker implements ToolBroker {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorBroker.class);
    static final String SEPARATOR = "__";
    static final int MAX_RESULT_CHARS = 24_000;

    private final ConnectorSupervisor supervisor;
    private final ObjectMapper json;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final List<DispatchGate> gates;

    ConnectorBroker(ConnectorSupervisor supervisor, ObjectMapper json, Clock clock, List<DispatchGate> gates) {
        this.supervisor = supervisor;
        this.json = json;
        this.clock = clock;
        this.breaker = new CircuitBreaker(clock);
        this.gates = gates;
    }

    @Override
    public List<ToolSpec> toolsFor(Caller caller) {
        // A connector that is restarting keeps its tools on offer: a call then gets a clear "unavailable right
        // now" the model can pass on, rather than the tools silently vanishing from the conversation.
        List<ToolSpec> specs = new ArrayList<>();
        for (ConnectorSupervisor.Instance instance : supervisor.all()) {
            specs.addAll(instance.offered());
        }
        return specs;
    }

    /**
     * The specs of a connector's read tools as the model sees them. A bring-your-own server gets none: its
     * annotations are unverified, so its tools count as actions until an admin classifies them.
     */
    static List<ToolSpec> offerable(String connector, List<McpSchema.Tool> tools, ObjectMapper json) {
        return tools.stream().filter(ConnectorBroker::isReadTool)
                .map(tool -> new ToolSpec(connector + SEPARATOR + tool.name(),
                        "[" + connector + "] " + (tool.description() == null ? tool.name() : tool.description()),
                        json.valueToTree(tool.inputSchema())))
                .toList();
    }

    /** MCP annotations are hints; a tool counts as a read only when it says read-only and not destructive. */
    static boolean isReadTool(McpSchema.Tool tool) {
        McpSchema.ToolAnnotations hints = tool.annotations();
        return hints != null && Boolean.TRUE.equals(hints.readOnlyHint()) && !Boolean.TRUE.equals(hints.destructiveHint());
    }

    @Override
    public ToolOutcome call(Caller caller, ToolCall call) {
        long started = System.nanoTime();
        int split = call.name().indexOf(SEPARATOR);
        String connector = split < 0 ? "" : call.name().substring(0, split);
        String toolName = split < 0 ? call.name() : call.name().substring(split + SEPARATOR.length());
        Optional<ConnectorSupervisor.Instance> instance = supervisor.byName(connector);
        Optional<McpSchema.Tool> tool = instance.flatMap(i -> i.tools().stream().filter(t -> t.name().equals(toolName)).findFirst());
        if (tool.isEmpty() || !isReadTool(tool.get()) || instance.get().bringYourOwn()) {
            LOG.info("Refused tool call {} for user {}: not permitted", call.name(), caller.userId());
            return refusal(call, connector, toolName, started, "Not permitted: the tool '" + call.name() + "' is not available to you.");
        }
        for (DispatchGate gate : gates) {
            String refusal = gate.refusal(caller, connector, toolName);
            if (refusal != null) {
                LOG.info("Refused tool call {} for user {}: {}", call.name(), caller.userId(), refusal);
                return refusal(call, connector, toolName, started, refusal);
            }
        }
        ConnectorSupervisor.Instance target = instance.get();
        if (target.state() != ConnectorSupervisor.State.RUNNING || target.mcp() == null || !breaker.allows(connector)) {
            return refusal(call, connector, toolName, started, "The " + connector + " connector is unavailable right now"
                    + (target.lastError() == null ? "" : " (" + target.lastError() + ")") + ". Tell the user; do not retry.");
        }
        Map<String, Object> arguments;
        try {
            arguments = call.argumentsJson() == null || call.argumentsJson().isBlank() ? Map.of()
                    : json.readValue(call.argumentsJson(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return refusal(call, connector, toolName, started, "The arguments are not a valid JSON object; send them as JSON.");
        }
        try {
            McpSchema.CallToolResult result = callWithOneRetry(target, toolName, arguments);
            breaker.success(connector);
            String text = text(result);
            boolean error = Boolean.TRUE.equals(result.isError());
            return new ToolOutcome(call.id(), connector, toolName, call.argumentsJson(), error, cap(text), millisSince(started),
                    error ? null : rows(result, text));
        } catch (RuntimeException e) {
            breaker.failure(connector);
            supervisor.reportBroken(target, e.getMessage());
            LOG.warn("Tool call {} on connector {} failed: {}", toolName, connector, e.getMessage());
            return refusal(call, connector, toolName, started, "The " + connector + " connector failed to answer ("
                    + e.getClass().getSimpleName() + "). Tell the user it is unavailable; do not retry.");
        }
    }

    /**
     * A connector evicts idle MCP sessions; the client then opens a new session, but the call that found
     * the old one gone has already failed. One retry covers exactly that case (and a connector just restarted).
     */
    private static McpSchema.CallToolResult callWithOneRetry(ConnectorSupervisor.Instance target, String tool, Map<String, Object> arguments) {
        try {
            return target.mcp().call(tool, arguments);
        } catch (RuntimeException first) {
            McpConnection mcp = target.mcp();
            if (mcp == null) {
                throw first;
            }
            return mcp.call(tool, arguments);
        }
    }

    private ToolOutcome refusal(ToolCall call, String connector, String tool, long started, String message) {
        return new ToolOutcome(call.id(), connector, tool, call.argumentsJson(), true, message, millisSince(started), null);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String text(McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent t) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(t.text());
            }
        }
        return text.toString();
    }

    private Integer rows(McpSchema.CallToolResult result, String text) {
        JsonNode node = result.structuredContent() != null ? json.valueToTree(result.structuredContent()) : parse(text);
        return node != null && node.has("rowCount") ? node.get("rowCount").asInt() : null;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String cap(String text) {
        return text.length() <= MAX_RESULT_CHARS ? text
                : text.substring(0, MAX_RESULT_CHARS) + "\n[result cut at " + MAX_RESULT_CHARS + " characters]";
    }
}
