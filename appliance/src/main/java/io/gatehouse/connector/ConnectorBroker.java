package io.gatehouse.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.auth.Caller;
import io.gatehouse.access.GrantResolver;
import io.gatehouse.access.Grants;
import io.gatehouse.access.ToolGrant;
import io.gatehouse.governance.ActionGate;
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
 * A caller is offered exactly the tools their grants allow (read tools, and action tools granted with a trust
 * level), and every call is authorized again at dispatch from the same grants, never from the model's word.
 * A granted action then goes through the {@link ActionGate} (Shadow, Supervised, Audited, Bounded); without
 * one, no action runs.
 */
@Singleton
public final class ConnectorBroker implements ToolBroker {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorBroker.class);
    static final String SEPARATOR = "__";
    static final int MAX_RESULT_CHARS = 24_000;

    private final ConnectorSupervisor supervisor;
    private final ObjectMapper json;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final List<DispatchGate> gates;
    private final GrantResolver grants;
    private final List<ActionGate> actionGates;

    ConnectorBroker(ConnectorSupervisor supervisor, ObjectMapper json, Clock clock, List<DispatchGate> gates, GrantResolver grants,
                    List<ActionGate> actionGates) {
        this.supervisor = supervisor;
        this.json = json;
        this.clock = clock;
        this.breaker = new CircuitBreaker(clock);
        this.gates = gates;
        this.grants = grants;
        this.actionGates = actionGates;
    }

    /**
     * A tool as the model would see it, whether it counts as a read (otherwise: an action), and whether it is
     * held because its definition changed since it was pinned (then it is neither offered nor run).
     */
    record Offerable(ToolSpec spec, String tool, boolean read, boolean held) {
    }

    @Override
    public List<ToolSpec> toolsFor(Caller caller) {
        // A connector that is restarting keeps its tools on offer: a call then gets a clear "unavailable right
        // now" the model can pass on, rather than the tools silently vanishing from the conversation.
        Grants granted = grants.of(caller.userId());
        List<ToolSpec> specs = new ArrayList<>();
        for (ConnectorSupervisor.Instance instance : supervisor.all()) {
            for (Offerable tool : instance.offered()) {
                if (!tool.held() && granted.grantFor(instance.name(), tool.tool(), tool.read()).isPresent()) {
                    specs.add(tool.spec());
                }
            }
        }
        return specs;
    }

    /**
     * A connector's tools as the model sees them. A bring-your-own server's annotations are unverified, so its
     * tools count as actions until an admin classifies one as a read; our own connectors' tools are reads when
     * their annotations say read-only and not destructive.
     */
    static List<Offerable> offerable(String connector, List<McpSchema.Tool> tools, boolean bringYourOwn, Map<String, ToolPin> pins,
                                     ObjectMapper json) {
        return tools.stream()
                .map(tool -> {
                    ToolPin pin = pins.get(tool.name());
                    boolean read = bringYourOwn ? pin != null && "READ".equals(pin.classification()) : isReadTool(tool);
                    return new Offerable(new ToolSpec(connector + SEPARATOR + tool.name(),
                            "[" + connector + "] " + (tool.description() == null ? tool.name() : tool.description()),
                            json.valueToTree(tool.inputSchema())), tool.name(), read, pin == null || pin.held());
                })
                .toList();
    }

    /** MCP annotations are hints; a tool counts as a read only when it says read-only and not destructive. */
    static boolean isReadTool(McpSchema.Tool tool) {
        McpSchema.ToolAnnotations hints = tool.annotations();
        return hints != null && Boolean.TRUE.equals(hints.readOnlyHint()) && !Boolean.TRUE.equals(hints.destructiveHint());
    }

    @Override
    public ToolOutcome call(Caller caller, ToolCall call) {
        return call(caller, call, null);
    }

    @Override
    public ToolOutcome call(Caller caller, ToolCall call, String conversationId) {
        long started = System.nanoTime();
        int split = call.name().indexOf(SEPARATOR);
        String connector = split < 0 ? "" : call.name().substring(0, split);
        String toolName = split < 0 ? call.name() : call.name().substring(split + SEPARATOR.length());
        Optional<ConnectorSupervisor.Instance> instance = supervisor.byName(connector);
        Optional<Offerable> tool = instance.flatMap(i -> i.offered().stream().filter(t -> t.tool().equals(toolName)).findFirst());
        boolean read = tool.isPresent() && tool.get().read();
        Optional<ToolGrant> grant = tool.isEmpty() ? Optional.empty() : grants.of(caller.userId()).grantFor(connector, toolName, read);
        if (grant.isEmpty()) {
            LOG.info("Refused tool call {} for user {}: not granted", call.name(), caller.userId());
            return refusal(call, connector, toolName, started, "Not permitted: the tool '" + call.name() + "' is not available to you.");
        }
        if (tool.get().held()) {
            LOG.info("Refused tool call {} for user {}: the tool's definition changed and is held", call.name(), caller.userId());
            return refusal(call, connector, toolName, started, "The tool '" + call.name() + "' is on hold: its definition changed and "
                    + "an admin must approve it before it can be used again. Tell the user.");
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
        ActionGate.ActionCall action = new ActionGate.ActionCall(call.id(), connector, toolName,
                call.argumentsJson() == null ? "" : call.argumentsJson(), conversationId);
        ActionGate gate = null;
        if (!read) {
            if (actionGates.isEmpty()) {
                return refusal(call, connector, toolName, started, "Not permitted: actions cannot run on this installation.");
            }
            gate = actionGates.getFirst();
            ActionGate.Decision decision = gate.decide(caller, action, grant.get());
            if (decision instanceof ActionGate.Hold hold) {
                LOG.info("Action {} for user {} not run: {}", call.name(), caller.userId(), hold.kind());
                return new ToolOutcome(call.id(), connector, toolName, call.argumentsJson(), !"proposed".equals(hold.kind())
                        && !"awaiting-approval".equals(hold.kind()), hold.message(), millisSince(started), null,
                        new ToolOutcome.Hold(hold.kind(), hold.approvalId()));
            }
        }
        ToolOutcome outcome = run(call, target, connector, toolName, arguments, started);
        if (gate != null) {
            gate.ran(caller, action, grant.get(), outcome.error(), outcome.content());
        }
        return outcome;
    }

    /**
     * Runs a call an {@link ActionGate} held earlier and a person has since approved: the exact arguments that
     * were approved, for the person who asked, after their grant and the dispatch gates are checked again.
     */
    public ToolOutcome runApproved(Caller requester, String connector, String toolName, String argumentsJson) {
        ToolCall call = new ToolCall("approved", connector + SEPARATOR + toolName, argumentsJson);
        long started = System.nanoTime();
        Optional<ConnectorSupervisor.Instance> instance = supervisor.byName(connector);
        Optional<Offerable> tool = instance.flatMap(i -> i.offered().stream().filter(t -> t.tool().equals(toolName)).findFirst());
        boolean read = tool.isPresent() && tool.get().read();
        if (tool.isEmpty() || tool.get().held() || grants.of(requester.userId()).grantFor(connector, toolName, read).isEmpty()) {
            return refusal(call, connector, toolName, started, "Not permitted any more: the grant for this action was removed.");
        }
        for (DispatchGate gate : gates) {
            String refusal = gate.refusal(requester, connector, toolName);
            if (refusal != null) {
                return refusal(call, connector, toolName, started, refusal);
            }
        }
        ConnectorSupervisor.Instance target = instance.get();
        if (target.state() != ConnectorSupervisor.State.RUNNING || target.mcp() == null || !breaker.allows(connector)) {
            return refusal(call, connector, toolName, started, "The " + connector + " connector is unavailable right now.");
        }
        Map<String, Object> arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank() ? Map.of()
                    : json.readValue(argumentsJson, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return refusal(call, connector, toolName, started, "The approved arguments are not a valid JSON object.");
        }
        return run(call, target, connector, toolName, arguments, started);
    }

    private ToolOutcome run(ToolCall call, ConnectorSupervisor.Instance target, String connector, String toolName,
                            Map<String, Object> arguments, long started) {
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
