package io.gatehouse.governance;

import io.gatehouse.auth.Caller;

/**
 * Consulted before every model call of a turn (each tool round is a call) and, cheaply, on every streamed
 * chunk. The kill-switch is one; a budget check can be another.
 */
public interface ModelCallGate {

    /** Throws a {@code GatehouseException} (with a message for the person) if this call must not be made. */
    void check(Caller caller, String model);

    /** While an answer streams: a reason to stop it now, or null to go on. Called per chunk: must be cheap. */
    default String stopReason(Caller caller, String model) {
        return null;
    }
}
