package io.gatehouse.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.GrantResolver;
import io.gatehouse.access.ToolGrant;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.connector.ConnectorBroker;
import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deciding Supervised calls. An approval is for one request's exact arguments: the decider may name the SHA-256
 * they saw, and the stored arguments are checked against their hash again just before they run. The call then
 * runs once, for the person who asked, through {@link ConnectorBroker#runApproved} (which checks their grant and
 * the kill-switch again), and its outcome is kept on the request. Who may decide is the grant's approver rule:
 * REQUESTER (only the person who asked), OTHER_PERSON (four eyes: anyone else who may use this action, or an
 * admin; never the person who asked), ADMIN (admins only). The person who asked may always withdraw (reject)
 * their own request. Every decision (approved, rejected or withdrawn, expired, an Audited action marked reviewed) is
 * committed together with its audit row, or not at all.
 */
@Singleton
final class Approvals {

    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    private static final int MAX_COMMENT = 1_000;
    /** Calls from outside a conversation (the API) are shown in the person's chats for this long after their expiry. */
    private static final Duration UNBOUND_SHOWN_AFTER_EXPIRY = Duration.ofHours(1);

    private final ApprovalRepository approvals;
    private final ActionReviewRepository reviews;
    private final GrantResolver grants;
    private final UserRepository users;
    private final ConnectorBroker broker;
    private final ApprovalSettings settings;
    private final Clock clock;
    private final AuditTrail trail;
    private final ApprovalExpiry expiry;
    private final TransactionOperations<Connection> transactions;

    Approvals(ApprovalRepository approvals, ActionReviewRepository reviews, GrantResolver grants, UserRepository users,
              ConnectorBroker broker, ApprovalSettings settings, Clock clock, AuditTrail trail, ApprovalExpiry expiry,
              TransactionOperations<Connection> transactions) {
        this.trail = trail;
        this.expiry = expiry;
        this.transactions = transactions;
        this.approvals = approvals;
        this.reviews = reviews;
        this.grants = grants;
        this.users = users;
        this.broker = broker;
        this.settings = settings;
        this.clock = clock;
    }

    /** A decision as sent: an optional comment, and the SHA-256 of the arguments the decider saw (the cards send it). */
    record DecisionForm(@Nullable String comment, @Nullable String argumentsSha256) {
    }

    /**
     * A request as a person sees it: {@code arguments} is the exact text that runs, {@code argumentsPretty} the
     * same JSON indented (numbers kept exactly); {@code mayApprove}/{@code mayReject} are for the viewer.
     */
    record ApprovalView(UUID id, String trustLevel, String status, String connector, String tool, String arguments,
                        String argumentsPretty, String argumentsSha256, String requester, @Nullable String approver,
                        @Nullable String conversationId, Instant createdAt, @Nullable Instant expiresAt, @Nullable String decidedBy,
                        @Nullable Instant decidedAt, @Nullable String comment, @Nullable String outcome, @Nullable Boolean outcomeError,
                        @Nullable Instant finishedAt, boolean mayApprove, boolean mayReject) {
    }

    record Queue(List<ApprovalView> pending, List<ApprovalView> recent) {
    }

    record ReviewView(UUID id, String user, String connector, String tool, String arguments, String argumentsPretty, String outcome,
                      boolean outcomeError, Instant ranAt, @Nullable String reviewedBy, @Nullable Instant reviewedAt,
                      @Nullable String note) {
    }

    /**
     * The decision and its {@code approval.approved} row commit together (a decision the trail cannot record is
     * refused with 503 and changes nothing); the call then runs with its own {@code tool.dispatch}/{@code tool.call} rows.
     */
    ApprovalView approve(Caller decider, UUID id, DecisionForm form) {
        ApprovalRequest request = decidable(decider, id, form, true);
        Instant now = clock.instant();
        boolean claimed = transactions.executeWrite(status -> {
            if (approvals.claimForApproval(id, decider.userId(), decider.email(), comment(form), now) == 0) {
                return false;
            }
            trail.record(decision(decider, "approval.approved", request));
            return true;
        });
        if (!claimed) {
            throw settled(id);
        }
        LOG.info("Approval {} ({}__{} for {}) approved by {} at {}", id, request.connectorName(), request.toolName(),
                request.requesterEmail(), decider.email(), now);
        ToolOutcome outcome = run(request, decider);
        String status = outcome.error() ? ApprovalRequest.FAILED : ApprovalRequest.EXECUTED;
        approvals.finish(id, status, TrustLadder.cap(outcome.content()), outcome.error(), clock.instant());
        LOG.info("Approval {} ran: {}", id, status);
        return view(decider, approvals.find(id).orElseThrow());
    }

    ApprovalView reject(Caller decider, UUID id, DecisionForm form) {
        ApprovalRequest request = decidable(decider, id, form, false);
        Instant now = clock.instant();
        boolean rejected = transactions.executeWrite(status -> {
            if (approvals.reject(id, decider.userId(), decider.email(), comment(form), now) == 0) {
                return false;
            }
            trail.record(decision(decider, "approval.rejected", request)
                    .detail("withdrawn", decider.userId().equals(request.requesterId())));
            return true;
        });
        if (!rejected) {
            throw settled(id);
        }
        LOG.info("Approval {} ({}__{} for {}) rejected by {} at {}; nothing ran", id, request.connectorName(), request.toolName(),
                request.requesterEmail(), decider.email(), now);
        return view(decider, approvals.find(id).orElseThrow());
    }

    /** The viewer's own requests: one conversation's (with their recent calls from outside any conversation), or all recent. */
    List<ApprovalView> mine(Caller viewer, @Nullable String conversationId) {
        Instant now = clock.instant();
        List<ApprovalRequest> rows = conversationId == null || conversationId.isBlank()
                ? approvals.ofRequester(viewer.userId(), 100)
                : approvals.ofConversation(viewer.userId(), conversationId.strip(),
                        now.minus(settings.expiry()).minus(UNBOUND_SHOWN_AFTER_EXPIRY));
        return rows.stream().map(r -> view(viewer, r)).toList();
    }

    /** Other people's calls waiting that this viewer may approve (four eyes, or admin approval). */
    List<ApprovalView> waitingFor(Caller viewer) {
        return approvals.waitingForOthers(clock.instant()).stream().map(r -> view(viewer, r)).filter(ApprovalView::mayApprove).toList();
    }

    /** The admin queue: everything waiting for someone other than the requester, and recent decisions. */
    Queue queue(Caller admin) {
        Instant now = clock.instant();
        return new Queue(approvals.waitingForOthers(now).stream().map(r -> view(admin, r)).toList(),
                approvals.recentlySettled(now, 50).stream().map(r -> view(admin, r)).toList());
    }

    List<ReviewView> reviewList() {
        return reviews.list(clock.instant().minus(Duration.ofDays(7)), 200).stream()
                .map(r -> new ReviewView(r.id(), r.userEmail(), r.connectorName(), r.toolName(), r.argumentsJson(), pretty(r.argumentsJson()),
                        r.outcome(), r.outcomeError(), r.ranAt(), r.reviewedByEmail(), r.reviewedAt(), r.reviewNote()))
                .toList();
    }

    void markReviewed(Caller admin, UUID id, @Nullable String note) {
        String trimmed = note == null || note.isBlank() ? null : note.strip();
        if (trimmed != null && trimmed.length() > MAX_COMMENT) {
            throw new GatehouseException.BadRequest("invalid-note", "Keep the note under " + MAX_COMMENT + " characters.", "note");
        }
        boolean marked = transactions.executeWrite(status -> {
            if (reviews.markReviewed(id, admin.userId(), admin.email(), trimmed, clock.instant()) == 0) {
                return false;
            }
            trail.record(admin.audit("action.reviewed").target("action_review", id).detail("noted", trimmed != null));
            return true;
        });
        if (!marked) {
            if (reviews.exists(id) == 0) {
                throw new GatehouseException.NotFound("review-not-found", "No audited action with this id.");
            }
            throw new GatehouseException.Conflict("already-reviewed", "This action was already marked reviewed.");
        }
        LOG.info("Audited action {} marked reviewed by {}", id, admin.email());
    }

    /**
     * Who may decide, as a pure function: the approver rule, whether the viewer is the requester or an admin, and
     * whether the viewer's own grants include this action.
     */
    static boolean mayApprove(ToolGrant.Approver rule, boolean viewerIsRequester, boolean viewerIsAdmin, boolean viewerMayUseAction) {
        return switch (rule) {
            case REQUESTER -> viewerIsRequester;
            case OTHER_PERSON -> !viewerIsRequester && (viewerIsAdmin || viewerMayUseAction);
            case ADMIN -> viewerIsAdmin;
        };
    }

    private ApprovalRequest decidable(Caller decider, UUID id, DecisionForm form, boolean approving) {
        ApprovalRequest request = approvals.find(id).filter(r -> visibleTo(decider, r))
                .orElseThrow(() -> new GatehouseException.NotFound("approval-not-found", "No approval request with this id for you."));
        if (!ApprovalRequest.SUPERVISED.equals(request.trustLevel())) {
            throw new GatehouseException.Conflict("proposal-only", "This call was only proposed (shadow mode) and never runs. "
                    + "An admin can raise the action's trust level so such calls can be approved.");
        }
        boolean own = decider.userId().equals(request.requesterId());
        boolean allowed = mayApprove(decider, request) || (!approving && own);
        if (!allowed) {
            throw new GatehouseException.Forbidden(switch (ToolGrant.Approver.valueOf(request.approverRule())) {
                case REQUESTER -> "Only the person who asked can decide on this call.";
                case OTHER_PERSON -> "Four eyes: someone other than the person who asked, who may use this action themselves, "
                        + "or an admin must approve this call.";
                case ADMIN -> "Only an administrator can approve this call.";
            });
        }
        if (form.argumentsSha256() != null && !form.argumentsSha256().strip().equalsIgnoreCase(request.argumentsSha256())) {
            throw new GatehouseException.Conflict("approval-arguments-changed", "These are not the arguments you were shown. "
                    + "Reload and decide on the call as it is.");
        }
        if (comment(form) != null && comment(form).length() > MAX_COMMENT) {
            throw new GatehouseException.BadRequest("invalid-comment", "Keep the comment under " + MAX_COMMENT + " characters.", "comment");
        }
        if (ApprovalRequest.PENDING.equals(request.status())) {
            return request;
        }
        throw settled(id);
    }

    /** Why a request can no longer be decided (409): it expired (then it is marked so), or someone decided already. */
    private GatehouseException settled(UUID id) {
        Instant now = clock.instant();
        ApprovalRequest current = approvals.find(id).orElseThrow();
        try {
            if (expiry.expire(current, now)) {
                current = approvals.find(id).orElseThrow();
            }
        } catch (AuditUnavailableException e) {
            // It counts as expired all the same (statusAt); the expiry job marks it once the trail can record it.
        }
        if (ApprovalRequest.EXPIRED.equals(current.statusAt(now))) {
            return new GatehouseException.Conflict("approval-expired", "This approval request expired at " + current.expiresAt()
                    + " and nothing ran. If the call is still wanted, ask again in the chat for a new request.");
        }
        return new GatehouseException.Conflict("approval-decided", "This call was already decided ("
                + current.status().toLowerCase(java.util.Locale.ROOT)
                + (current.decidedByEmail() == null ? "" : " by " + current.decidedByEmail()) + ").");
    }

    /** A decision on a request, by the person deciding, from where they are. */
    private static AuditEvent.Builder decision(Caller decider, String action, ApprovalRequest request) {
        return decider.audit(action).target("approval", request.id()).connector(request.connectorName())
                .detail("tool", request.toolName()).detail("argumentsSha256", request.argumentsSha256())
                .detail("requesterId", request.requesterId()).detail("approverRule", request.approverRule());
    }

    private ToolOutcome run(ApprovalRequest request, Caller decider) {
        if (!request.argumentsIntact()) {
            // The row was changed behind the portal's back: what would run is not what was approved.
            LOG.warn("Approval {}: the stored arguments no longer match their SHA-256; not run", request.id());
            return failed(request, "Not run: the stored arguments no longer match the approved SHA-256.");
        }
        Optional<User> requester = users.findById(request.requesterId()).filter(User::active);
        if (requester.isEmpty()) {
            return failed(request, "Not run: the account of the person who asked is no longer active.");
        }
        User u = requester.get();
        Caller asRequester = new Caller(u.id(), u.email(), u.displayName(), u.admin(), Caller.Channel.SESSION, request.id(),
                Caller.Access.FULL);
        return broker.runApproved(asRequester, decider, request.id().toString(), request.connectorName(), request.toolName(),
                request.argumentsJson());
    }

    private static ToolOutcome failed(ApprovalRequest request, String message) {
        return new ToolOutcome("approved", request.connectorName(), request.toolName(), request.argumentsJson(), true, message, 0, null);
    }

    private boolean visibleTo(Caller viewer, ApprovalRequest request) {
        if (viewer.userId().equals(request.requesterId()) || viewer.admin()) {
            return true;
        }
        return ToolGrant.Approver.OTHER_PERSON.name().equals(request.approverRule()) && mayUseAction(viewer, request);
    }

    /** The approver rule applied to this viewer, whatever the request's state. */
    private boolean mayApprove(Caller viewer, ApprovalRequest request) {
        if (request.approverRule() == null) {
            return false;
        }
        ToolGrant.Approver rule = ToolGrant.Approver.valueOf(request.approverRule());
        boolean own = viewer.userId().equals(request.requesterId());
        // The grant lookup is needed only for a colleague under the four-eyes rule.
        boolean mayUse = !own && rule == ToolGrant.Approver.OTHER_PERSON && mayUseAction(viewer, request);
        return mayApprove(rule, own, viewer.admin(), mayUse);
    }

    private boolean mayUseAction(Caller viewer, ApprovalRequest request) {
        return grants.of(viewer.userId()).grantFor(request.connectorName(), request.toolName(), false).isPresent();
    }

    private ApprovalView view(Caller viewer, ApprovalRequest r) {
        Instant now = clock.instant();
        String status = r.statusAt(now);
        boolean open = ApprovalRequest.PENDING.equals(status);
        boolean mayApprove = open && mayApprove(viewer, r);
        boolean mayReject = open && (viewer.userId().equals(r.requesterId()) || mayApprove);
        return new ApprovalView(r.id(), r.trustLevel(), status, r.connectorName(), r.toolName(), r.argumentsJson(), pretty(r.argumentsJson()),
                r.argumentsSha256(), r.requesterEmail(), r.approverRule(), r.conversationId(), r.createdAt(),
                ApprovalRequest.SUPERVISED.equals(r.trustLevel()) ? r.expiresAt() : null, r.decidedByEmail(), r.decidedAt(),
                r.decisionComment(), r.outcome(), r.outcomeError(), r.finishedAt(), mayApprove, mayReject);
    }

    private static @Nullable String comment(DecisionForm form) {
        return form.comment() == null || form.comment().isBlank() ? null : form.comment().strip();
    }

    /**
     * Indented for people, numbers exactly as sent (never rounded through doubles). Invisible characters (bidi
     * overrides, zero-width and control characters) are shown as {@code \\uXXXX} escapes, so what the approver
     * reads cannot differ from what runs; the JSON means the same. Text that is not JSON is shown as it is, escaped so.
     */
    static String pretty(String json) {
        String indented;
        try {
            JsonNode node = ArgumentLimits.EXACT.readTree(json);
            indented = node == null ? json : ArgumentLimits.EXACT.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            indented = json;
        }
        StringBuilder shown = new StringBuilder(indented.length());
        indented.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean invisible = (type == Character.CONTROL && c != '\n') || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (invisible) {
                for (char unit : Character.toChars(c)) {
                    shown.append(String.format("\\u%04x", (int) unit));
                }
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
