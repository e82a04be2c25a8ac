package io.gatehouse.usage;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.governance.ModelCallMeter;
import io.gatehouse.model.AvailableModel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Records every model call, chat page or API: a {@code model.call} audit row naming the call's record, and the
 * record itself in {@code model_calls}. The audit row is appended when the call opens and commits while the model
 * works; no part of the answer is delivered until it has (fail closed). The record is written when the call ends,
 * off the request path ({@link ModelCallWriter}).
 *
 * <p>Order 2: the budget meter (order 1) refuses first, and a call refused there is never opened here: it was not
 * sent, so it is not a model call.
 */
@Singleton
@Order(2)
final class ModelCallRecorder implements ModelCallMeter {

    /** Longest error text kept with a record: provider messages are summarised already, this is a backstop. */
    private static final int MAX_ERROR = 1000;

    private final AuditTrail audit;
    private final ModelCallWriter writer;
    private final Clock clock;

    ModelCallRecorder(AuditTrail audit, ModelCallWriter writer, Clock clock) {
        this.audit = audit;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public Open open(Call call) {
        UUID id = UUID.randomUUID();
        Instant started = clock.instant();
        String channel = channel(call.caller());
        AuditTrail.Appending row = audit.append(call.caller().audit("model.call")
                .target("model_call", id)
                .detail("record", id)
                .detail("provider", call.model().providerName())
                .detail("model", call.model().name())
                .detail("conversation", call.conversationId())
                .detail("channel", channel)
                .build());
        return new Recording(id, started, channel, call, row);
    }

    static String channel(Caller caller) {
        return caller.channel() == Caller.Channel.SESSION ? "CHAT" : "API";
    }

    private final class Recording implements Open {
        private final UUID id;
        private final Instant started;
        private final String channel;
        private final Call call;
        private final AuditTrail.Appending row;

        Recording(UUID id, Instant started, String channel, Call call, AuditTrail.Appending row) {
            this.id = id;
            this.started = started;
            this.channel = channel;
            this.call = call;
            this.row = row;
        }

        /** Throws {@code AuditUnavailableException} (503) when the audit row was not committed: the answer is withheld. */
        @Override
        public void beforeDelivery() {
            row.await();
        }

        @Override
        public void close(Result result) {
            AvailableModel model = call.model();
            Caller caller = call.caller();
            writer.submit(new ModelCallRecord(id, started, caller.userId(), caller.email(), call.conversationId(), channel,
                    model.providerName(), model.name(), result.usage().inputTokens(), result.usage().outputTokens(),
                    result.usage().reported(), CallCost.of(model, result.usage()), result.latencyMillis(), result.outcome().name(),
                    shortened(result.error()), result.requestSha256(), result.outputSha256(), null), row.committed());
        }
    }

    private static @Nullable String shortened(@Nullable String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "…";
    }
}
