package io.gatehouse.audit;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit row of a change, written so that the change never takes effect without it (fail closed). The trail's
 * writer commits on its own connection, so the row cannot share the change's transaction; instead:
 * <ul>
 * <li>{@link #record} (inside the change's transaction): the row is committed before the change is; if it cannot
 * be, the exception rolls the change back. Should the transaction then roll back anyway, a FAILURE row for the same
 * action follows, so the trail does not claim a change that did not happen.</li>
 * <li>{@link #around} (a change without a transaction, such as opening a session): the row first, then the change;
 * if the change throws, a FAILURE row follows.</li>
 * <li>{@link #afterAccessRemoved}: for a person taking their own access away (signing out, revoking their own
 * token), which is done even when the trail is down, since refusing would keep them signed in against their will.</li>
 * </ul>
 */
@Singleton
public class ChangeAudit {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeAudit.class);

    private final AuditTrail trail;
    private final TransactionOperations<Connection> transactions;

    ChangeAudit(AuditTrail trail, TransactionOperations<Connection> transactions) {
        this.trail = trail;
        this.transactions = transactions;
    }

    /**
     * Records the row of a change made in the current transaction; call it once the checks have passed. Throws
     * {@link AuditUnavailableException} (so the transaction rolls back) when the row cannot be written.
     */
    public long record(AuditEvent.Builder event) {
        TransactionStatus<?> transaction = transactions.findTransactionStatus()
                .orElseThrow(() -> new IllegalStateException("ChangeAudit.record needs the change's transaction; use around() without one"));
        AuditEvent success = event.build();
        long seq = trail.record(success);
        transaction.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(Status status) {
                if (status != Status.COMMITTED) {
                    recordFailure(success, seq, "not_committed");
                }
            }
        });
        return seq;
    }

    /** Records the row, then makes the change; a change that throws gets a FAILURE row and the exception goes on. */
    public <T> T around(AuditEvent.Builder event, Supplier<T> change) {
        AuditEvent success = event.build();
        long seq = trail.record(success);
        try {
            return change.get();
        } catch (RuntimeException e) {
            recordFailure(success, seq, "change_failed");
            throw e;
        }
    }

    public void around(AuditEvent.Builder event, Runnable change) {
        around(event, () -> {
            change.run();
            return null;
        });
    }

    /** After access was taken away at its holder's request: recorded if the trail can, otherwise logged. */
    public void afterAccessRemoved(AuditEvent.Builder event) {
        AuditEvent done = event.build();
        try {
            trail.record(done);
        } catch (AuditUnavailableException e) {
            LOG.error("Audit trail unavailable: {} by {} ({}) was done but could not be recorded", done.action(), done.actorId(),
                    done.targetId());
        }
    }

    private void recordFailure(AuditEvent success, long successSeq, String reason) {
        Map<String, Object> details = new LinkedHashMap<>(success.details());
        details.put("reason", reason);
        details.put("corrects_seq", successSeq);
        AuditEvent failure = new AuditEvent(success.actorId(), success.actorEmail(), success.action(), AuditEvent.Outcome.FAILURE,
                success.targetType(), success.targetId(), success.connector(), success.origin(), details);
        try {
            trail.record(failure);
        } catch (RuntimeException e) {
            LOG.error("Audit row {} says {} succeeded but the change did not take effect, and the FAILURE row could not be written",
                    successSeq, success.action());
        }
    }
}
