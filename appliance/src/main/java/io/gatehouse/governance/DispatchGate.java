package io.gatehouse.governance;

import io.gatehouse.auth.Caller;

/** Consulted before every tool call is dispatched to a connector, after the caller's grants allowed it. */
public interface DispatchGate {

    /** A reason the call must not run now (said to the model and the person), or null to let it through. */
    String refusal(Caller caller, String connector, String tool);

    /** A short code for the audit trail's {@code reason} when this gate refuses a call (e.g. {@code kill-switch}). */
    default String refusalCode() {
        return "dispatch-gate";
    }
}
