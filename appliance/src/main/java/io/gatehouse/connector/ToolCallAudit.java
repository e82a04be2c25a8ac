package io.gatehouse.connector;

import io.gatehouse.access.TrustLevel;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit rows of tool calls, fail closed. {@code tool.dispatch} is written before an action reaches its
 * connector: if it cannot be, the action does not run. {@code tool.call} is written after every call and before
 * its result goes anywhere: if it cannot be, the result is withheld and the model (and the person's tool step)
 * get an error instead. Details carry the SHA-256 of the arguments as received, never the arguments or the rows.
 */
@Singleton
final class ToolCallAudit {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallAudit.class);

    static final String DISPATCH = "tool.dispatch";
    static final String CALL = "tool.call";
    /** The reason of a call the trail itself stopped: no tool.call row is attempted for it (the trail just failed). */
    static final String AUDIT_UNAVAILABLE = "audit-unavailable";

    static final String NOT_RUN = "Not run: the audit trail is unavailable, so this action could not be recorded and was not "
            + "executed. Nothing changed. Tell the user the action did not run and to try again later; do not retry now.";

    private final AuditTrail trail;

    ToolCallAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** Whether the call was a read or an action, as the broker classified it; null when the tool is unknown. */
    enum Access { READ, ACTION }

    /**
     * One call as the trail sees it. {@code caller} is the person the call runs for (with the origin of the request
     * that made it run); {@code approvedBy} and {@code approvalId} are set for a call run after an approval.
     */
    record Subject(Caller caller, String connector, String tool, @Nullable String argumentsJson, @Nullable String conversationId,
                   @Nullable String approvalId, @Nullable String approvedBy) {
    }

    /** Whether the connector was called: a timeout or a broken connection leaves it unknown whether an action took effect. */
    enum Execution { NOT_RUN, RAN, UNKNOWN }

    /**
     * How the call ended for the trail: result, why (a short code such as {@code not-permitted}, {@code kill-switch},
     * {@code awaiting-approval}, {@code ran}, {@code tool-error}), whether it ran, and what the broker knew of the tool.
     */
    record Verdict(AuditEvent.Outcome result, String reason, Execution execution, @Nullable Access access, @Nullable TrustLevel trust) {
    }

    /** Writes {@code tool.dispatch} for an action about to run; false (and nothing may run) if it could not be written. */
    boolean dispatch(Subject subject, @Nullable TrustLevel trust) {
        try {
            trail.record(event(DISPATCH, subject).detail("access", "action").detail("trustLevel", trust));
            return true;
        } catch (AuditUnavailableException e) {
            LOG.error("Action {}__{} for user {} not run: its audit record could not be written", subject.connector(), subject.tool(),
                    subject.caller().userId());
            return false;
        }
    }

    /**
     * Writes the {@code tool.call} row and returns what may go back: the outcome itself once its row is committed,
     * otherwise an error in its place.
     */
    ToolOutcome settle(Subject subject, Verdict verdict, ToolOutcome outcome) {
        if (AUDIT_UNAVAILABLE.equals(verdict.reason())) {
            return outcome;
        }
        AuditEvent.Builder event = event(CALL, subject).outcome(verdict.result())
                .detail("access", verdict.access() == null ? null : verdict.access().name().toLowerCase(java.util.Locale.ROOT))
                .detail("trustLevel", verdict.access() == Access.ACTION ? verdict.trust() : null)
                .detail("reason", verdict.reason())
                .detail("rows", outcome.rows())
                .detail("durationMs", outcome.durationMillis());
        if (outcome.hold() != null && outcome.hold().approvalId() != null) {
            event.detail("approvalId", outcome.hold().approvalId());
        }
        try {
            trail.record(event);
            return outcome;
        } catch (AuditUnavailableException e) {
            LOG.error("Result of tool call {}__{} for user {} withheld: its audit record could not be written", subject.connector(),
                    subject.tool(), subject.caller().userId());
            return new ToolOutcome(outcome.callId(), outcome.connector(), outcome.tool(), outcome.argumentsJson(), true,
                    withheld(verdict), outcome.durationMillis(), null);
        }
    }

    /** What the model is told instead of the result; whether an action ran matters, so it is not tried twice. */
    static String withheld(Verdict verdict) {
        String what = verdict.access() == Access.ACTION ? "action" : "call";
        String ran = switch (verdict.execution()) {
            case RAN -> "The " + what + " ran, but its result is withheld";
            case UNKNOWN -> "The " + what + " may have run, but its result is withheld";
            case NOT_RUN -> "The " + what + " did not run, and the reason is withheld";
        };
        return ran + ": the audit trail is unavailable, so the call could not be recorded. Tell the user the audit trail is "
                + "unavailable" + (verdict.execution() == Execution.NOT_RUN ? "" : " and that the " + what + " "
                + (verdict.execution() == Execution.RAN ? "did run" : "may have run")) + "; do not retry now.";
    }

    private static AuditEvent.Builder event(String action, Subject subject) {
        String arguments = subject.argumentsJson() == null ? "" : subject.argumentsJson();
        return subject.caller().audit(action)
                .target("tool", subject.connector() + "/" + subject.tool())
                .connector(subject.connector().isEmpty() ? null : subject.connector())
                .detail("tool", subject.tool())
                .detail("argumentsSha256", sha256(arguments))
                .detail("conversationId", subject.conversationId())
                .detail("approvalId", subject.approvalId())
                .detail("approvedBy", subject.approvedBy());
    }

    /** Lower-case hex SHA-256 of the arguments text exactly as received (UTF-8). */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
