package io.gatehouse.approval;

import io.gatehouse.access.ToolGrant;
import io.gatehouse.access.TrustLevel;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.governance.ActionGate;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust ladder: what a granted action call does, by the grant's trust level. Shadow records a proposal and
 * runs nothing; Supervised creates an approval request bound to the exact call and runs nothing until a person
 * approves it ({@link Approvals}); Audited runs and lands in the review list; Bounded runs only within its
 * limits. Limits an admin sets on an action apply at every level that can run: argument limits before a call
 * runs or is put to a person, the per-day count whenever a call runs without a person deciding (Audited, Bounded).
 */
@Singleton
final class TrustLadder implements ActionGate {

    private static final Logger LOG = LoggerFactory.getLogger(TrustLadder.class);
    static final int MAX_STORED_OUTCOME = 8_000;
    private static final DateTimeFormatter HH_MM_UTC = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ApprovalRepository approvals;
    private final ActionReviewRepository reviews;
    private final ActionCallCountRepository counts;
    private final ApprovalSettings settings;
    private final Clock clock;
    private final AuditTrail trail;

    TrustLadder(ApprovalRepository approvals, ActionReviewRepository reviews, ActionCallCountRepository counts, ApprovalSettings settings,
                Clock clock, AuditTrail trail) {
        this.trail = trail;
        this.approvals = approvals;
        this.reviews = reviews;
        this.counts = counts;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Decision decide(Caller caller, ActionCall call, ToolGrant grant) {
        TrustLevel trust = grant.trust() == null ? TrustLevel.SHADOW : grant.trust();
        if (trust == TrustLevel.SHADOW) {
            return propose(caller, call);
        }
        Optional<String> outside = ArgumentLimits.violation(grant.argumentLimits(), call.argumentsJson());
        if (outside.isPresent()) {
            LOG.info("Action {}__{} for user {} refused: {}", call.connector(), call.tool(), caller.userId(), outside.get());
            return refused(outside.get());
        }
        return switch (trust) {
            case SUPERVISED -> awaitApproval(caller, call, grant);
            case AUDITED, BOUNDED -> takeDailySlot(caller, call, grant);
            case SHADOW -> throw new IllegalStateException("handled above");
        };
    }

    @Override
    public void ran(Caller caller, ActionCall call, ToolGrant grant, boolean error, String content) {
        if (grant.trust() == TrustLevel.AUDITED) {
            reviews.insert(UUID.randomUUID(), caller.userId(), caller.email(), call.connector(), call.tool(), call.argumentsJson(),
                    cap(content), error, clock.instant());
        }
    }

    private Decision propose(Caller caller, ActionCall call) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        approvals.insert(id, ApprovalRequest.SHADOW, ApprovalRequest.PROPOSED, caller.userId(), caller.email(), null, call.connector(),
                call.tool(), call.callId(), call.argumentsJson(), ApprovalRequest.sha256(call.argumentsJson()), call.conversationId(), now, now);
        LOG.info("Action {}__{} for user {} proposed only (shadow): proposal {}", call.connector(), call.tool(), caller.userId(), id);
        return new Hold("proposed", "Proposed, not run: for this person the action " + call.connector() + "__" + call.tool()
                + " only records proposals (shadow mode), so nothing was executed and nothing changed. Tell the user what you "
                + "proposed and that it did not run; do not retry.", id.toString());
    }

    private Decision awaitApproval(Caller caller, ActionCall call, ToolGrant grant) {
        Instant now = clock.instant();
        String sha256 = ApprovalRequest.sha256(call.argumentsJson());
        Optional<ApprovalRequest> same = approvals.pendingSame(caller.userId(), call.connector(), call.tool(), sha256, call.conversationId(), now);
        UUID id;
        Instant expires;
        if (same.isPresent()) {
            id = same.get().id();
            expires = same.get().expiresAt();
        } else {
            id = UUID.randomUUID();
            expires = now.plus(settings.expiry());
            ToolGrant.Approver rule = grant.approver() == null ? ToolGrant.Approver.REQUESTER : grant.approver();
            // Recorded before the request exists: a request the trail cannot record is never made (the broker says so).
            trail.record(caller.audit("approval.requested").target("approval", id).connector(call.connector())
                    .detail("tool", call.tool()).detail("argumentsSha256", sha256).detail("approverRule", rule)
                    .detail("conversationId", call.conversationId()).detail("expiresAt", expires.toString()));
            approvals.insert(id, ApprovalRequest.SUPERVISED, ApprovalRequest.PENDING, caller.userId(), caller.email(), rule.name(),
                    call.connector(), call.tool(), call.callId(), call.argumentsJson(), sha256, call.conversationId(), now, expires);
            LOG.info("Action {}__{} for user {} awaits approval {} ({}), expires {}", call.connector(), call.tool(), caller.userId(), id,
                    rule, expires);
        }
        return new Hold("awaiting-approval", "Held, not run: this exact call is waiting for a person to approve it (approval " + id
                + ", " + who(grant.approver()) + ", until " + HH_MM_UTC.format(expires) + "). It will run only after approval, with "
                + "exactly these arguments; the user sees it as an approval card in the chat. Tell the user it awaits approval. "
                + "Do not retry, and do not call it again with other arguments: a changed call needs a new approval.", id.toString());
    }

    private Decision takeDailySlot(Caller caller, ActionCall call, ToolGrant grant) {
        if (grant.maxCallsPerDay() == null) {
            return new Run();
        }
        LocalDate day = LocalDate.ofInstant(clock.instant(), settings.zone());
        counts.ensure(caller.userId(), call.connector(), call.tool(), day);
        if (counts.take(caller.userId(), call.connector(), call.tool(), day, grant.maxCallsPerDay()) == 0) {
            LOG.info("Action {}__{} for user {} refused: {} calls today already", call.connector(), call.tool(), caller.userId(),
                    grant.maxCallsPerDay());
            return refused("the limit of " + grant.maxCallsPerDay() + " call" + (grant.maxCallsPerDay() == 1 ? "" : "s")
                    + " a day for this action is reached (the day ends at midnight " + settings.dayZone() + ")");
        }
        return new Run();
    }

    private static Hold refused(String reason) {
        return new Hold("refused", "Not permitted: " + reason + ". The action did not run. Tell the user why; do not retry.", null);
    }

    private static String who(ToolGrant.Approver approver) {
        return switch (approver == null ? ToolGrant.Approver.REQUESTER : approver) {
            case REQUESTER -> "the user who asked decides";
            case OTHER_PERSON -> "someone other than the user who asked must approve";
            case ADMIN -> "an administrator must approve";
        };
    }

    static String cap(String text) {
        String value = text == null ? "" : text;
        return value.length() <= MAX_STORED_OUTCOME ? value : value.substring(0, MAX_STORED_OUTCOME) + "\n[cut at " + MAX_STORED_OUTCOME
                + " characters]";
    }
}
