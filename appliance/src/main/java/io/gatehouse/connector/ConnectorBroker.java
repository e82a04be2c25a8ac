package io.gatehouse.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.access.GrantResolver;
import io.gatehouse.access.Grants;
import io.gatehouse.access.ToolGrant;
import io.gatehouse.access.TrustLevel;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.Caller;
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
 * one, no action runs. Every call, refused or run, leaves a {@code tool.call} audit row before its result goes
 * back, and an action a {@code tool.dispatch} row before it runs ({@link ToolCallAudit}: fail closed).
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
    private final ToolCallAudit audit;

    ConnectorBroker(ConnectorSupervisor supervisor, ObjectMapper json, Clock clock, List<DispatchGate> gates, GrantResolver grants,
                    List<ActionGate> actionGates, ToolCallAudit audit) {
        this.audit = audit;
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

    /**
     * Authorizes, gates and runs one call, then writes its {@code tool.call} audit row before the result goes back
     * (an action also gets a {@code tool.dispatch} row before it runs); see {@link ToolCallAudit}.
     */
    @Override
    public ToolOutcome call(Caller caller, ToolCall call, String conversationId) {
        long started = System.nanoTime();
        int split = call.name().indexOf(SEPARATOR);
        String connector = split < 0 ? "" : call.name().substring(0, split);
        String toolName = split < 0 ? call.name() : call.name().substring(split + SEPARATOR.length());
        ToolCallAudit.Subject subject = new ToolCallAudit.Subject(caller, connector, toolName, call.argumentsJson(), conversationId, null, null);
        Attempt attempt = attempt(caller, call, connector, toolName, subject, started);
        return audit.settle(subject, attempt.verdict(), attempt.outcome());
    }

    /** What a call came to, for the model and for the trail. */
    private record Attempt(ToolOutcome outcome, ToolCallAudit.Verdict verdict) {
    }

    private Attempt attempt(Caller caller, ToolCall call, String connector, String toolName, ToolCallAudit.Subject subject, long started) {
        Optional<ConnectorSupervisor.Instance> instance = supervisor.byName(connector);
        Optional<Offerable> tool = instance.flatMap(i -> i.offered().stream().filter(t -> t.tool().equals(toolName)).findFirst());
        boolean read = tool.isPresent() && tool.get().read();
        ToolCallAudit.Access access = tool.isEmpty() ? null : read ? ToolCallAudit.Access.READ : ToolCallAudit.Access.ACTION;
        Optional<ToolGrant> grant = tool.isEmpty() ? Optional.empty() : grants.of(caller.userId()).grantFor(connector, toolName, read);
        TrustLevel trust = grant.map(ToolGrant::trust).orElse(null);
        if (grant.isEmpty()) {
            LOG.info("Refused tool call {} for user {}: not granted", call.name(), caller.userId());
            return denied(call, connector, toolName, started, tool.isEmpty() ? "unknown-tool" : "not-permitted", access, trust,
                    "Not permitted: the tool '" + call.name() + "' is not available to you.");
        }
        if (tool.get().held()) {
            LOG.info("Refused tool call {} for user {}: the tool's definition changed and is held", call.name(), caller.userId());
            return denied(call, connector, toolName, started, "tool-held", access, trust, "The tool '" + call.name() + "' is on hold: "
                    + "its definition changed and an admin must approve it before it can be used again. Tell the user.");
        }
        for (DispatchGate gate : gates) {
            String refusal = gate.refusal(caller, connector, toolName);
            if (refusal != null) {
                LOG.info("Refused tool call {} for user {}: {}", call.name(), caller.userId(), refusal);
                return denied(call, connector, toolName, started, gate.refusalCode(), access, trust, refusal);
            }
        }
        ConnectorSupervisor.Instance target = instance.get();
        if (target.state() != ConnectorSupervisor.State.RUNNING || target.mcp() == null || !breaker.allows(connector)) {
            return failed(call, connector, toolName, started, "connector-unavailable", access, trust, "The " + connector
                    + " connector is unavailable right now" + (target.lastError() == null ? "" : " (" + target.lastError() + ")")
                    + ". Tell the user; do not retry.");
        }
        Map<String, Object> arguments;
        try {
            arguments = call.argumentsJson() == null || call.argumentsJson().isBlank() ? Map.of()
                    : json.readValue(call.argumentsJson(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return failed(call, connector, toolName, started, "invalid-arguments", access, trust,
                    "The arguments are not a valid JSON object; send them as JSON.");
        }
        ActionGate.ActionCall action = new ActionGate.ActionCall(call.id(), connector, toolName,
                call.argumentsJson() == null ? "" : call.argumentsJson(), subject.conversationId());
        ActionGate gate = null;
        if (!read) {
            if (actionGates.isEmpty()) {
                return denied(call, connector, toolName, started, "actions-disabled", access, trust,
                        "Not permitted: actions cannot run on this installation.");
            }
            gate = actionGates.getFirst();
            ActionGate.Decision decision;
            try {
                decision = gate.decide(caller, action, grant.get());
            } catch (AuditUnavailableException e) {
                // A proposal or approval request could not be recorded: nothing was created, nothing runs.
                return failed(call, connector, toolName, started, ToolCallAudit.AUDIT_UNAVAILABLE, access, trust, ToolCallAudit.NOT_RUN);
            }
            if (decision instanceof ActionGate.Hold hold) {
                LOG.info("Action {} for user {} not run: {}", call.name(), caller.userId(), hold.kind());
                ToolOutcome held = new ToolOutcome(call.id(), connector, toolName, call.argumentsJson(), !"proposed".equals(hold.kind())
                        && !"awaiting-approval".equals(hold.kind()), hold.message(), millisSince(started), null,
                        new ToolOutcome.Hold(hold.kind(), hold.approvalId()));
                return new Attempt(held, new ToolCallAudit.Verdict(AuditEvent.Outcome.DENIED,
                        "refused".equals(hold.kind()) ? "over-limit" : hold.kind(), ToolCallAudit.Execution.NOT_RUN, access, trust));
            }
            if (!audit.dispatch(subject, trust)) {
                return failed(call, connector, toolName, started, ToolCallAudit.AUDIT_UNAVAILABLE, access, trust, ToolCallAudit.NOT_RUN);
            }
        }
        Attempt ran = run(call, target, connector, toolName, arguments, started, access, trust);
        if (gate != null) {
            gate.ran(caller, action, grant.get(), ran.outcome().error(), ran.outcome().content());
        }
        return ran;
    }

    /**
     * Runs a call an {@link ActionGate} held earlier and a person has since approved: the exact arguments that
     * were approved, for the person who asked, after their grant and the dispatch gates are checked again. The
     * audit rows name the requester as actor, with the decider's request as origin and the decider in the details.
     */
    public ToolOutcome runApproved(Caller requester, Caller decider, String approvalId, String connector, String toolName,
                                   String argumentsJson) {
        ToolCall call = new ToolCall("approved", connector + SEPARATOR + toolName, argumentsJson);
        long started = System.nanoTime();
        ToolCallAudit.Subject subject = new ToolCallAudit.Subject(requester.from(decider.origin()), connector, toolName, argumentsJson,
                null, approvalId, decider.email());
        Attempt attempt = attemptApproved(requester, call, connector, toolName, argumentsJson, subject, started);
        return audit.settle(subject, attempt.verdict(), attempt.outcome());
    }

    private Attempt attemptApproved(Caller requester, ToolCall call, String connector, String toolName, String argumentsJson,
                                    ToolCallAudit.Subject subject, long started) {
        Optional<ConnectorSupervisor.Instance> instance = supervisor.byName(connector);
        Optional<Offerable> tool = instance.flatMap(i -> i.offered().stream().filter(t -> t.tool().equals(toolName)).findFirst());
        boolean read = tool.isPresent() && tool.get().read();
        ToolCallAudit.Access access = tool.isEmpty() ? null : read ? ToolCallAudit.Access.READ : ToolCallAudit.Access.ACTION;
        Optional<ToolGrant> grant = tool.isEmpty() || tool.get().held() ? Optional.empty()
                : grants.of(requester.userId()).grantFor(connector, toolName, read);
        TrustLevel trust = grant.map(ToolGrant::trust).orElse(null);
        if (grant.isEmpty()) {
            return denied(call, connector, toolName, started, "not-permitted", access, trust,
                    "Not permitted any more: the grant for this action was removed.");
        }
        for (DispatchGate gate : gates) {
            String refusal = gate.refusal(requester, connector, toolName);
            if (refusal != null) {
                return denied(call, connector, toolName, started, gate.refusalCode(), access, trust, refusal);
            }
        }
        ConnectorSupervisor.Instance target = instance.get();
        if (target.state() != ConnectorSupervisor.State.RUNNING || target.mcp() == null || !breaker.allows(connector)) {
            return failed(call, connector, toolName, started, "connector-unavailable", access, trust,
                    "The " + connector + " connector is unavailable right now.");
        }
        Map<String, Object> arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank() ? Map.of()
                    : json.readValue(argumentsJson, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return failed(call, connector, toolName, started, "invalid-arguments", access, trust,
                    "The approved arguments are not a valid JSON object.");
        }
        if (!read && !audit.dispatch(subject, trust)) {
            return failed(call, connector, toolName, started, ToolCallAudit.AUDIT_UNAVAILABLE, access, trust, ToolCallAudit.NOT_RUN);
        }
        return run(call, target, connector, toolName, arguments, started, access, trust);
    }

    private Attempt run(ToolCall call, ConnectorSupervisor.Instance target, String connector, String toolName,
                        Map<String, Object> arguments, long started, ToolCallAudit.Access access, TrustLevel trust) {
        try {
            McpSchema.CallToolResult result = callWithOneRetry(target, toolName, arguments);
            breaker.success(connector);
            String text = text(result);
            boolean error = Boolean.TRUE.equals(result.isError());
            ToolOutcome outcome = new ToolOutcome(call.id(), connector, toolName, call.argumentsJson(), error, cap(text),
                    millisSince(started), error ? null : rows(result, text));
            return new Attempt(outcome, new ToolCallAudit.Verdict(error ? AuditEvent.Outcome.FAILURE : AuditEvent.Outcome.SUCCESS,
                    error ? "tool-error" : "ran", ToolCallAudit.Execution.RAN, access, trust));
        } catch (RuntimeException e) {
            breaker.failure(connector);
            supervisor.reportBroken(target, e.getMessage());
            LOG.warn("Tool call {} on connector {} failed: {}", toolName, connector, e.getMessage());
            // A timeout or a broken connection: the connector may have acted before the answer was lost.
            return new Attempt(refusal(call, connector, toolName, started, "The " + connector + " connector failed to answer ("
                    + e.getClass().getSimpleName() + "). Tell the user it is unavailable; do not retry."),
                    new ToolCallAudit.Verdict(AuditEvent.Outcome.FAILURE, "connector-failed", ToolCallAudit.Execution.UNKNOWN, access, trust));
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

    /** Refused by policy before anything ran: not granted, unknown, held, switched off, over a limit. */
    private Attempt denied(ToolCall call, String connector, String tool, long started, String reason, ToolCallAudit.Access access,
                           TrustLevel trust, String message) {
        return new Attempt(refusal(call, connector, tool, started, message),
                new ToolCallAudit.Verdict(AuditEvent.Outcome.DENIED, reason, ToolCallAudit.Execution.NOT_RUN, access, trust));
    }

    /** Could not run: the connector is unavailable, the arguments are not JSON, the audit trail is down. */
    private Attempt failed(ToolCall call, String connector, String tool, long started, String reason, ToolCallAudit.Access access,
                           TrustLevel trust, String message) {
        return new Attempt(refusal(call, connector, tool, started, message),
                new ToolCallAudit.Verdict(AuditEvent.Outcome.FAILURE, reason, ToolCallAudit.Execution.NOT_RUN, access, trust));
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
