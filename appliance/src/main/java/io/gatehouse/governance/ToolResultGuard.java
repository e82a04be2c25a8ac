package io.gatehouse.governance;

import io.gatehouse.auth.Caller;

/**
 * Shapes what a tool returned before the model reads it: data from connectors is untrusted (it may carry
 * instructions planted in a ticket or a row), so it goes back clearly delimited as data, never as orders.
 */
public interface ToolResultGuard {

    /** {@code content} is what the connector returned (or the refusal text when {@code error}). */
    String forModel(Caller caller, String connector, String tool, String content, boolean error);

    /** A standing instruction for the model about how tool results reach it, sent when tools are offered; null for none. */
    default String systemNote() {
        return null;
    }
}
