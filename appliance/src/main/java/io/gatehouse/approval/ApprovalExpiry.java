package io.gatehouse.approval;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks Supervised requests whose time ran out as EXPIRED, each with its {@code approval.expired} audit row (a
 * system event: no actor). Both happen in one transaction, so a request is marked only once its row is committed;
 * if the trail cannot be written the request stays pending in the table (it already counts as expired everywhere,
 * see {@link ApprovalRequest#statusAt}) and the next run tries again.
 */
@Singleton
final class ApprovalExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalExpiry.class);
    static final int BATCH = 500;

    private final ApprovalRepository approvals;
    private final AuditTrail trail;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    ApprovalExpiry(ApprovalRepository approvals, AuditTrail trail, TransactionOperations<Connection> transactions, Clock clock) {
        this.approvals = approvals;
        this.trail = trail;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Every minute: the requests past their expiry; returns how many were marked. */
    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    int expireDue() {
        Instant now = clock.instant();
        int marked = 0;
        try {
            for (ApprovalRequest request : approvals.dueToExpire(now, BATCH)) {
                if (expire(request, now)) {
                    marked++;
                }
            }
        } catch (AuditUnavailableException e) {
            LOG.warn("Expired approval requests not marked yet: the audit trail is unavailable; trying again in a minute");
        }
        return marked;
    }

    /** Marks this request expired with its audit row, or neither; false if it was not pending past its expiry. */
    boolean expire(ApprovalRequest request, Instant now) {
        return transactions.executeWrite(status -> {
            if (approvals.markExpired(request.id(), now) == 0) {
                return false;
            }
            trail.record(AuditEvent.of("approval.expired").target("approval", request.id()).connector(request.connectorName())
                    .detail("tool", request.toolName()).detail("argumentsSha256", request.argumentsSha256())
                    .detail("requesterId", request.requesterId()).detail("expiresAt", request.expiresAt().toString()));
            LOG.info("Approval {} ({}__{} for {}) expired; nothing ran", request.id(), request.connectorName(), request.toolName(),
                    request.requesterEmail());
            return true;
        });
    }
}
