package io.gatehouse.connector;

import io.gatehouse.auth.Caller;
import io.gatehouse.model.ToolCall;
import io.gatehouse.model.ToolSpec;
import java.util.List;

/**
 * Brokers the model's tool calls to connectors. Which tools a caller is offered, and whether a call may run,
 * is decided here from the caller's grants, never from what the model asked for.
 */
public interface ToolBroker {

    /** The tools this caller may be offered, with names unique across connectors. */
    List<ToolSpec> toolsFor(Caller caller);

    /** Runs one call; failures come back as an error outcome for the model, never as an exception. */
    ToolOutcome call(Caller caller, ToolCall call);

    /** As {@link #call(Caller, ToolCall)}, in a chat conversation (so a held action can be shown in it). */
    default ToolOutcome call(Caller caller, ToolCall call, @io.micronaut.core.annotation.Nullable String conversationId) {
        return call(caller, call);
    }
}
