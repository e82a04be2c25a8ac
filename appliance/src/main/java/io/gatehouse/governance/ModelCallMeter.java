package io.gatehouse.governance;

import io.gatehouse.auth.Caller;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.Usage;
import io.micronaut.core.annotation.Nullable;

/**
 * Brackets every model call of a turn (each tool round is a call): opened before the request is sent, closed
 * after with what happened. Budgets reserve in {@link #open} (and may refuse: nothing is sent) and settle in
 * {@link Open#close}; the call records and the audit trail write there too.
 */
public interface ModelCallMeter {

    /** The call about to be made. {@code request} is what will be sent, before any output cap is applied. */
    record Call(Caller caller, AvailableModel model, ModelRequest request, @Nullable String conversationId) {
    }

    /** How a call ended. NOT_SENT: a later meter refused it after this one opened. */
    enum Outcome { SUCCESS, FAILURE, STOPPED, NOT_SENT }

    /**
     * What happened: usage (as reported, or estimated), latency, SHA-256 of the exact request bytes sent and of the
     * exact response bytes read (null when nothing was sent or read), and the error's message if any.
     */
    record Result(Outcome outcome, Usage usage, long latencyMillis, byte @Nullable [] requestSha256,
                  byte @Nullable [] outputSha256, @Nullable String error) {
    }

    /** Throws a {@code GatehouseException} with a message for the person to refuse the call. */
    Open open(Call call);

    /** An opened call. */
    interface Open {

        /** The most output tokens this meter lets the call produce (a budget's remainder), or null for no cap. */
        default @Nullable Integer maxOutputTokens() {
            return null;
        }

        /**
         * Called before any of the answer reaches the person (first streamed chunk, or the result): throws to
         * withhold it. Work started in {@link #open} (an audit row being committed) is awaited here, so it runs
         * alongside the model call instead of before it.
         */
        default void beforeDelivery() {
        }

        /** The call is over. Never throws for the person's sake: the answer is already theirs. */
        void close(Result result);
    }
}
