package io.gatehouse.audit;

import io.micronaut.core.annotation.Nullable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One thing that happened, for the audit trail: who (actor), what ({@code action}, a dotted name such as
 * {@code auth.sign_in} or {@code tool.call}), on what (target, connector), with what result, from where, plus
 * small details (never secrets or data: argument hashes, counts, ids). Build with {@link #of(String)}.
 */
public record AuditEvent(@Nullable UUID actorId, @Nullable String actorEmail, String action, Outcome outcome,
                         @Nullable String targetType, @Nullable String targetId, @Nullable String connector,
                         Origin origin, Map<String, Object> details) {

    /** SUCCESS: done. DENIED: refused by policy (not permitted, over budget, wrong password). FAILURE: broke. */
    public enum Outcome { SUCCESS, DENIED, FAILURE }

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        origin = origin == null ? Origin.SYSTEM : origin;
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Builder of(String action) {
        return new Builder(action);
    }

    /** Fluent construction; every field but the action is optional (outcome defaults to SUCCESS). */
    public static final class Builder {
        private final String action;
        private UUID actorId;
        private String actorEmail;
        private Outcome outcome = Outcome.SUCCESS;
        private String targetType;
        private String targetId;
        private String connector;
        private Origin origin = Origin.SYSTEM;
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String action) {
            this.action = action;
        }

        public Builder actor(@Nullable UUID id, @Nullable String email) {
            this.actorId = id;
            this.actorEmail = email;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder denied() {
            return outcome(Outcome.DENIED);
        }

        public Builder failed() {
            return outcome(Outcome.FAILURE);
        }

        public Builder target(String type, @Nullable Object id) {
            this.targetType = type;
            this.targetId = id == null ? null : id.toString();
            return this;
        }

        public Builder connector(@Nullable String connector) {
            this.connector = connector;
            return this;
        }

        public Builder origin(@Nullable Origin origin) {
            this.origin = origin == null ? Origin.SYSTEM : origin;
            return this;
        }

        /** A detail; null values are left out. Values: strings, numbers, booleans, or lists/maps of them. */
        public Builder detail(String key, @Nullable Object value) {
            if (value != null) {
                details.put(key, value instanceof UUID || value instanceof Enum<?> ? value.toString() : value);
            }
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(actorId, actorEmail, action, outcome, targetType, targetId, connector, origin, details);
        }
    }
}
