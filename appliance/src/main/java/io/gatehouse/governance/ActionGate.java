package io.gatehouse.governance;

import io.gatehouse.access.ToolGrant;
import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;

/**
 * Decides what happens to a call of an action tool that the caller's grants allow, by the grant's trust
 * level: Shadow (proposed, never runs), Supervised (waits for a person to approve that exact call), Audited
 * (runs, then is reviewed), Bounded (runs within limits). Without an ActionGate no action ever runs.
 */
public interface ActionGate {

    /** The call as the model asked for it; {@code argumentsJson} is what would run, byte for byte. */
    record ActionCall(String callId, String connector, String tool, String argumentsJson, @Nullable String conversationId) {
    }

    /** Run now, or hold (not run) with a message for the model and the person. */
    sealed interface Decision permits Run, Hold {
    }

    record Run() implements Decision {
    }

    /** {@code kind}: "proposed" (Shadow), "awaiting-approval" (Supervised), "refused" (a limit); approvalId when one was created. */
    record Hold(String kind, String message, @Nullable String approvalId) implements Decision {
    }

    Decision decide(Caller caller, ActionCall call, ToolGrant grant);

    /** After a call that {@link #decide} let run: for review lists and counters. */
    default void ran(Caller caller, ActionCall call, ToolGrant grant, boolean error, String content) {
    }
}
