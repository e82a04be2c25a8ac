package io.gatehouse.chat;

import io.gatehouse.access.GrantResolver;
import io.gatehouse.access.Grants;
import io.gatehouse.audit.AuditChain;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.Caller;
import io.gatehouse.connector.ToolBroker;
import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.ModelCallGate;
import io.gatehouse.governance.ModelCallMeter;
import io.gatehouse.governance.OutputGuard;
import io.gatehouse.governance.ToolResultGuard;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelCatalog;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.ModelResult;
import io.gatehouse.model.ToolCall;
import io.gatehouse.model.ToolSpec;
import io.gatehouse.model.Usage;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat turn, in order, in one place. The chat page and {@code /v1/chat/completions} are two adapters
 * over it, so whatever is enforced here is enforced for both.
 *
 * <p>A turn: resolve the model; offer it the caller's tools from every {@link ToolBroker} (when it can call
 * tools); call it; for every tool call it asks for, dispatch to the broker that offered that name (which
 * authorizes again from the caller, not the model; a name nobody offered is refused) and feed the results back; repeat until a final answer or {@value #MAX_TOOL_ROUNDS} rounds.
 * Grants, kill-switch ({@link ModelCallGate}), budgets and call records ({@link ModelCallMeter}, around every model
 * call) and guardrails (DESIGN.md steps 2-7) slot in here too.
 */
@Singleton
public final class ChatPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ChatPipeline.class);
    static final int MAX_TOOL_ROUNDS = 6;

    private final ModelCatalog catalog;
    private final GrantResolver grants;
    private final List<ToolBroker> brokers;
    private final List<ModelCallGate> modelGates;
    private final List<ModelCallMeter> meters;
    private final AuditTrail audit;
    private final List<OutputGuard> outputGuards;
    private final List<ToolResultGuard> resultGuards;

    ChatPipeline(ModelCatalog catalog, GrantResolver grants, List<ToolBroker> brokers, List<ModelCallGate> modelGates,
                 List<ModelCallMeter> meters, List<OutputGuard> outputGuards, List<ToolResultGuard> resultGuards, AuditTrail audit) {
        this.meters = meters;
        this.audit = audit;
        this.catalog = catalog;
        this.grants = grants;
        this.brokers = brokers;
        this.modelGates = modelGates;
        this.outputGuards = outputGuards;
        this.resultGuards = resultGuards;
    }

    /** What a caller asks of a model for one turn. */
    /** {@code conversationId} ties held actions (approval cards) to the chat they belong to; null for the API. */
    public record Turn(String model, List<ChatMessage> messages, @Nullable Integer maxTokens, @Nullable Double temperature,
                       @Nullable String conversationId) {

        public Turn(String model, List<ChatMessage> messages, @Nullable Integer maxTokens, @Nullable Double temperature) {
            this(model, messages, maxTokens, temperature, null);
        }
    }

    /**
     * The final answer (after the output guards) and every tool step taken on the way, with usage summed over
     * all model calls; {@code removals} says what the guards took out of the answer, for a short notice.
     */
    public record TurnResult(ModelResult answer, List<ToolOutcome> steps, List<String> removals) {
    }

    /**
     * Resolves the model before anything is sent, so an unknown model is a clear 404 and not a stream error. A
     * model the caller's roles do not allow gets the very same answer as one that does not exist.
     */
    public AvailableModel resolveModel(Caller caller, String model) {
        if (catalog.isEmpty()) {
            throw new NoModelConfiguredException();
        }
        return catalog.find(model).filter(m -> grants.of(caller.userId()).allowsModel(m.name()))
                .orElseThrow(() -> new GatehouseException.NotFound("model-not-found",
                        "The model '" + model + "' does not exist or you do not have access to it."));
    }

    /** The models this caller's roles allow, for model lists and pickers. */
    public List<AvailableModel> modelsFor(Caller caller) {
        Grants granted = grants.of(caller.userId());
        return catalog.all().stream().filter(m -> granted.allowsModel(m.name())).toList();
    }

    /** Runs the turn; with an observer the answer is streamed to it chunk by chunk. */
    public TurnResult run(Caller caller, Turn turn, @Nullable TurnObserver observer) {
        AvailableModel model = resolveModel(caller, turn.model());
        Map<String, ToolBroker> offeredBy = new LinkedHashMap<>();
        List<ToolSpec> tools = new ArrayList<>();
        if (model.provider().supportsTools()) {
            for (ToolBroker broker : brokers) {
                for (ToolSpec tool : broker.toolsFor(caller)) {
                    if (offeredBy.putIfAbsent(tool.name(), broker) == null) {
                        tools.add(tool);
                    }
                }
            }
        }
        List<ChatMessage> messages = new ArrayList<>();
        List<String> system = new ArrayList<>();
        if (!tools.isEmpty()) {
            resultGuards.stream().map(ToolResultGuard::systemNote).filter(java.util.Objects::nonNull).forEach(system::add);
        }
        system.addAll(grants.of(caller.userId()).systemPrompts());
        if (!system.isEmpty()) {
            // The portal's and the organisation's instructions come first, ahead of anything the client sent.
            messages.add(new ChatMessage(ChatMessage.SYSTEM, String.join("\n\n", system), null, null));
        }
        messages.addAll(turn.messages());
        List<ToolOutcome> steps = new ArrayList<>();
        List<OutputGuard.AnswerFilter> filters = outputGuards.stream().map(g -> g.open(caller)).toList();
        TurnObserver guarded = observer == null ? null : guardedObserver(caller, model.name(), observer, filters);
        int inputTokens = 0;
        int outputTokens = 0;
        boolean reported = true;
        for (int round = 0; ; round++) {
            // After the last allowed round the model must answer with what it has: no tools are offered.
            List<ToolSpec> offered = round < MAX_TOOL_ROUNDS ? tools : List.of();
            for (ModelCallGate gate : modelGates) {
                gate.check(caller, model.name());
            }
            MeteredCall metered = MeteredCall.open(meters, new ModelCallMeter.Call(caller, model, new ModelRequest(model.name(),
                    List.copyOf(messages), turn.maxTokens(), turn.temperature(), offered), turn.conversationId()));
            ModelResult result;
            try {
                result = metered.succeeded(callModel(model, metered.request(), metered.observe(guarded)));
            } catch (TurnStoppedException stopped) {
                metered.stopped(stopped);
                throw stopped;
            } catch (RuntimeException failed) {
                metered.failed(failed);
                releaseHeldText(filters, observer); // a broken-off answer keeps its partial text
                throw failed;
            }
            releaseHeldText(filters, observer);
            inputTokens += result.usage().inputTokens();
            outputTokens += result.usage().outputTokens();
            reported &= result.usage().reported();
            if (!result.wantsTools() || offered.isEmpty()) {
                Usage total = new Usage(inputTokens, outputTokens, reported);
                LOG.debug("Turn for user {} on model {}: {} tool steps, {} tokens in, {} out", caller.userId(), model.name(),
                        steps.size(), inputTokens, outputTokens);
                String text = result.text();
                List<String> removals = new ArrayList<>();
                for (OutputGuard.AnswerFilter filter : filters) {
                    OutputGuard.Guarded checked = filter.finish(text);
                    text = checked.text();
                    removals.addAll(checked.removals());
                }
                return new TurnResult(new ModelResult(text, total, result.finishReason()), List.copyOf(steps), List.copyOf(removals));
            }
            messages.add(ChatMessage.assistantToolCalls(result.text(), result.toolCalls()));
            for (ToolCall call : result.toolCalls()) {
                ToolBroker broker = offeredBy.get(call.name());
                ToolOutcome outcome = broker != null ? broker.call(caller, call, turn.conversationId())
                        // A name we never offered: refused here, before any broker sees it.
                        : refuseUnoffered(caller, call, turn.conversationId());
                steps.add(outcome);
                if (observer != null) {
                    observer.onToolStep(outcome);
                }
                String forModel = outcome.content();
                // A held action's message is the portal's own words (proposed, awaiting approval, refused), not
                // connector data: it goes to the model as is.
                for (ToolResultGuard guard : outcome.hold() != null ? List.<ToolResultGuard>of() : resultGuards) {
                    forModel = guard.forModel(caller, outcome.connector(), outcome.tool(), forModel, outcome.error());
                }
                messages.add(ChatMessage.toolResult(call.id(), forModel));
            }
        }
    }

    /** The refusal of a tool name that was never offered, in the audit trail like every other tool call. */
    private ToolOutcome refuseUnoffered(Caller caller, ToolCall call, @Nullable String conversationId) {
        String arguments = call.argumentsJson() == null ? "" : call.argumentsJson();
        try {
            audit.record(caller.audit("tool.call").denied().target("tool", call.name()).detail("tool", call.name())
                    .detail("argumentsSha256", java.util.HexFormat.of().formatHex(
                            AuditChain.sha256().digest(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .detail("conversationId", conversationId).detail("reason", "not-offered"));
        } catch (AuditUnavailableException e) {
            LOG.error("Refusal of unoffered tool {} for user {} could not be audited", call.name(), caller.userId());
        }
        return new ToolOutcome(call.id(), "", call.name(), call.argumentsJson(), true,
                "Not permitted: the tool '" + call.name() + "' is not available to you.", 0, null);
    }

    /**
     * The person's view of the stream: each chunk passes the output guards (which may hold text back) and the
     * gates (a kill-switch pulled mid-answer stops it with a clear message).
     */
    private TurnObserver guardedObserver(Caller caller, String model, TurnObserver observer, List<OutputGuard.AnswerFilter> filters) {
        if (filters.isEmpty() && modelGates.isEmpty()) {
            return observer;
        }
        return new TurnObserver() {
            @Override
            public void onDelta(String text) {
                for (ModelCallGate gate : modelGates) {
                    String reason = gate.stopReason(caller, model);
                    if (reason != null) {
                        throw new TurnStoppedException(reason);
                    }
                }
                String shown = text;
                for (OutputGuard.AnswerFilter filter : filters) {
                    shown = filter.onDelta(shown);
                }
                if (!shown.isEmpty()) {
                    observer.onDelta(shown);
                }
            }

            @Override
            public void onToolStep(ToolOutcome outcome) {
                observer.onToolStep(outcome);
            }

            @Override
            public boolean cancelled() {
                return observer.cancelled(); // a client that went away still stops the upstream call
            }
        };
    }

    /** Emits what the output guards still hold back, each guard's release passing through the guards after it. */
    private static void releaseHeldText(List<OutputGuard.AnswerFilter> filters, @Nullable TurnObserver observer) {
        if (observer == null || filters.isEmpty()) {
            return;
        }
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < filters.size(); i++) {
            String released = filters.get(i).flush();
            for (int j = i + 1; j < filters.size() && !released.isEmpty(); j++) {
                released = filters.get(j).onDelta(released);
            }
            tail.append(released);
        }
        if (!tail.isEmpty()) {
            observer.onDelta(tail.toString());
        }
    }

    /** A gate stopped the turn while the answer streamed; the message says why, for the person. */
    public static final class TurnStoppedException extends RuntimeException {
        TurnStoppedException(String message) {
            super(message);
        }
    }

    private static ModelResult callModel(AvailableModel model, ModelRequest request, @Nullable TurnObserver observer) {
        return observer == null ? model.provider().complete(request) : model.provider().stream(request, observer);
    }

    /** No provider is configured at all: the chat says so and points admins to the Models page. */
    public static final class NoModelConfiguredException extends RuntimeException {
        NoModelConfiguredException() {
            super("No AI model is configured yet. An admin can add one on the Models page (/admin/models).");
        }
    }
}
