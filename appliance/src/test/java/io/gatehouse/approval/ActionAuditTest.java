package io.gatehouse.approval;

import static io.gatehouse.approval.ActionFixtures.WRITE;
import static io.gatehouse.approval.ActionFixtures.insert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Actions and approvals in the audit trail: a held call's request, the decision (with who decided, from where),
 * the run after it ({@code tool.dispatch} then {@code tool.call}), rejections, expiry by the job, reviews; an action
 * whose dispatch row cannot be written does not run, and a decision the trail cannot record changes nothing.
 */
class ActionAuditTest {

    static final String AGENT = "approval-audit-test/1.0";

    static ActionFixtures fx;
    static String selfRole;
    static String fourEyesRole;
    static String auditedRole;

    @BeforeAll
    static void start() {
        fx = new ActionFixtures();
        selfRole = fx.role("Self-approved writers", Map.of("trustLevel", "SUPERVISED", "approver", "REQUESTER"));
        fourEyesRole = fx.role("Payments", Map.of("trustLevel", "SUPERVISED", "approver", "OTHER_PERSON"));
        auditedRole = fx.role("Audited writers", Map.of("trustLevel", "AUDITED"));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static TestPortal portal() {
        return fx.portal;
    }

    @Test
    void anApprovedCallLeavesItsRequestTheDecisionAndTheRunInThatOrder() throws Exception {
        UUID sue = fx.person("sue@example.test", selfRole);
        WebSession person = fx.signIn("sue@example.test");
        String args = insert("Approved AG", "42.00");
        long before = AuditedRows.lastSeq(portal());

        ActionFixtures.Turn turn = fx.ask(person, WRITE, args);
        JsonNode held = fx.requestFor(person, turn, args);
        String approvalId = held.path("id").asText();

        AuditedRows.Row requested = AuditedRows.only(portal(), before, "approval.requested");
        assertThat(requested.actorId()).isEqualTo(sue);
        assertThat(requested.targetType()).isEqualTo("approval");
        assertThat(requested.targetId()).isEqualTo(approvalId);
        assertThat(requested.connector()).isEqualTo("ledger");
        assertThat(requested.details().path("argumentsSha256").asText()).isEqualTo(ApprovalRequest.sha256(args));
        assertThat(requested.details().path("approverRule").asText()).isEqualTo("REQUESTER");
        AuditedRows.Row heldCall = AuditedRows.only(portal(), before, "tool.call");
        assertThat(heldCall.outcome()).isEqualTo("DENIED");
        assertThat(heldCall.details().path("reason").asText()).isEqualTo("awaiting-approval");
        assertThat(heldCall.details().path("approvalId").asText()).isEqualTo(approvalId);
        assertThat(heldCall.details().path("access").asText()).isEqualTo("action");
        assertThat(heldCall.details().path("trustLevel").asText()).isEqualTo("SUPERVISED");
        assertThat(AuditedRows.since(portal(), before, "tool.dispatch")).isEmpty();

        long beforeDecision = AuditedRows.lastSeq(portal());
        HttpResponse<String> approved = person.postJson("/api/v1/approvals/" + approvalId + "/approve",
                Map.of("argumentsSha256", held.path("argumentsSha256").asText()), "User-Agent", AGENT);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(fx.payments("Approved AG")).containsExactly("Approved AG 42.00");
        String requestId = approved.headers().firstValue("X-Request-Id").orElseThrow();

        AuditedRows.Row decision = AuditedRows.only(portal(), beforeDecision, "approval.approved");
        assertThat(decision.actorId()).isEqualTo(sue);
        assertThat(decision.actorEmail()).isEqualTo("sue@example.test");
        assertThat(decision.ip()).isEqualTo("127.0.0.1");
        assertThat(decision.userAgent()).isEqualTo(AGENT);
        assertThat(decision.requestId()).isEqualTo(requestId);
        assertThat(decision.targetId()).isEqualTo(approvalId);
        assertThat(decision.details().path("argumentsSha256").asText()).isEqualTo(ApprovalRequest.sha256(args));
        AuditedRows.Row dispatch = AuditedRows.only(portal(), beforeDecision, "tool.dispatch");
        AuditedRows.Row ran = AuditedRows.only(portal(), beforeDecision, "tool.call");
        assertThat(decision.seq()).isLessThan(dispatch.seq());
        assertThat(dispatch.seq()).isLessThan(ran.seq());
        for (AuditedRows.Row row : new AuditedRows.Row[] {dispatch, ran}) {
            assertThat(row.actorId()).as("the call runs for the person who asked").isEqualTo(sue);
            assertThat(row.requestId()).as("from the request that approved it").isEqualTo(requestId);
            assertThat(row.details().path("approvalId").asText()).isEqualTo(approvalId);
            assertThat(row.details().path("approvedBy").asText()).isEqualTo("sue@example.test");
            assertThat(row.details().path("argumentsSha256").asText()).isEqualTo(ApprovalRequest.sha256(args));
            assertThat(row.targetId()).isEqualTo("ledger/execute_statement");
        }
        assertThat(ran.outcome()).isEqualTo("SUCCESS");
        assertThat(ran.details().path("trustLevel").asText()).isEqualTo("SUPERVISED");
    }

    @Test
    void aColleaguesRejectionAndARequestersWithdrawalAreRecordedAsSuch() {
        UUID asker = fx.person("asker@example.test", fourEyesRole);
        UUID colleague = fx.person("colleague@example.test", fourEyesRole);
        WebSession askerSession = fx.signIn("asker@example.test");
        WebSession colleagueSession = fx.signIn("colleague@example.test");
        String first = insert("Rejected Ltd", "10");
        String second = insert("Withdrawn Ltd", "20");
        String firstId = fx.requestFor(askerSession, fx.ask(askerSession, WRITE, first), first).path("id").asText();
        String secondId = fx.requestFor(askerSession, fx.ask(askerSession, WRITE, second), second).path("id").asText();
        long before = AuditedRows.lastSeq(portal());

        assertThat(colleagueSession.postJson("/api/v1/approvals/" + firstId + "/reject", Map.of("comment", "no")).statusCode()).isEqualTo(200);
        assertThat(askerSession.postJson("/api/v1/approvals/" + secondId + "/reject", Map.of()).statusCode()).isEqualTo(200);

        var rejections = AuditedRows.since(portal(), before, "approval.rejected");
        assertThat(rejections).hasSize(2);
        assertThat(rejections.getFirst().actorId()).isEqualTo(colleague);
        assertThat(rejections.getFirst().targetId()).isEqualTo(firstId);
        assertThat(rejections.getFirst().details().path("withdrawn").asBoolean()).isFalse();
        assertThat(rejections.getFirst().details().path("requesterId").asText()).isEqualTo(asker.toString());
        assertThat(rejections.get(1).actorId()).isEqualTo(asker);
        assertThat(rejections.get(1).details().path("withdrawn").asBoolean()).isTrue();
        assertThat(AuditedRows.since(portal(), before, "tool.dispatch")).isEmpty();
    }

    @Test
    void theExpiryJobMarksAnExpiredRequestOnceWithASystemRow() {
        fx.person("late@example.test", selfRole);
        WebSession person = fx.signIn("late@example.test");
        String args = insert("Late GmbH", "5");
        String id = fx.requestFor(person, fx.ask(person, WRITE, args), args).path("id").asText();
        long before = AuditedRows.lastSeq(portal());

        portal().clock.advance(Duration.ofMinutes(16));
        // The scheduled run may get there first; either way one run of the job marks it.
        portal().bean(ApprovalExpiry.class).expireDue();

        AuditedRows.Row expired = AuditedRows.since(portal(), before, "approval.expired").stream()
                .filter(r -> r.targetId().equals(id)).findFirst().orElseThrow();
        assertThat(expired.actorId()).isNull();
        assertThat(expired.ip()).isNull();
        assertThat(expired.connector()).isEqualTo("ledger");
        assertThat(expired.details().path("argumentsSha256").asText()).isEqualTo(ApprovalRequest.sha256(args));
        // Deciding now is refused, and the request is not expired (or recorded) a second time.
        long afterJob = AuditedRows.lastSeq(portal());
        HttpResponse<String> late = fx.signIn("late@example.test").postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(late.body()).path("type").asText()).endsWith("approval-expired");
        assertThat(AuditedRows.since(portal(), afterJob, "approval.expired")).isEmpty();
        assertThat(portal().bean(ApprovalExpiry.class).expireDue()).isZero();
    }

    @Test
    void anAuditedActionRunsAfterItsDispatchRowAndDoesNotRunWhenThatRowCannotBeWritten() throws Exception {
        fx.person("audited@example.test", auditedRole);
        WebSession person = fx.signIn("audited@example.test");
        long before = AuditedRows.lastSeq(portal());

        fx.ask(person, WRITE, insert("Audited Co", "7"));

        assertThat(fx.payments("Audited Co")).containsExactly("Audited Co 7.00");
        AuditedRows.Row dispatch = AuditedRows.only(portal(), before, "tool.dispatch");
        AuditedRows.Row call = AuditedRows.only(portal(), before, "tool.call");
        assertThat(dispatch.seq()).isLessThan(call.seq());
        assertThat(dispatch.details().path("trustLevel").asText()).isEqualTo("AUDITED");
        assertThat(call.outcome()).isEqualTo("SUCCESS");
        assertThat(call.details().path("trustLevel").asText()).isEqualTo("AUDITED");

        long beforeRefused = AuditedRows.lastSeq(portal());
        ActionFixtures.Turn refused;
        try (AutoCloseable trail = AuditedRows.refusing(portal(), "tool.dispatch")) {
            refused = fx.ask(person, WRITE, insert("Never Ltd", "9"));
        }

        assertThat(fx.payments("Never Ltd")).isEmpty();
        assertThat(refused.toldModel()).contains("Not run: the audit trail is unavailable").contains("Nothing changed");
        assertThat(refused.events().named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        assertThat(AuditedRows.since(portal(), beforeRefused, "tool.call")).isEmpty();
    }

    @Test
    void markingAnAuditedActionReviewedIsRecorded() {
        fx.person("reviewed@example.test", auditedRole);
        fx.ask(fx.signIn("reviewed@example.test"), WRITE, insert("Reviewed Co", "3"));
        WebSession admin = fx.portal.admin();
        String reviewId = null;
        for (JsonNode review : WebSession.parse(admin.get("/api/v1/admin/action-reviews").body())) {
            if (review.path("user").asText().equals("reviewed@example.test")) {
                reviewId = review.path("id").asText();
            }
        }
        assertThat(reviewId).isNotNull();
        long before = AuditedRows.lastSeq(portal());

        HttpResponse<String> marked = admin.postJson("/api/v1/admin/action-reviews/" + reviewId + "/reviewed", Map.of("note", "fine"),
                "User-Agent", AGENT);

        assertThat(marked.statusCode()).isEqualTo(204);
        AuditedRows.Row row = AuditedRows.only(portal(), before, "action.reviewed");
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.targetId()).isEqualTo(reviewId);
        assertThat(row.userAgent()).isEqualTo(AGENT);
        assertThat(row.requestId()).isEqualTo(marked.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void aDecisionTheTrailCannotRecordIsRefusedWith503AndNothingRuns() throws Exception {
        fx.person("blocked@example.test", selfRole);
        WebSession person = fx.signIn("blocked@example.test");
        String args = insert("Blocked SA", "11");
        String id = fx.requestFor(person, fx.ask(person, WRITE, args), args).path("id").asText();

        HttpResponse<String> approve;
        try (AutoCloseable trail = AuditedRows.refusingAll(portal())) {
            approve = person.postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        }

        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(503);
        assertThat(WebSession.parse(approve.body()).path("type").asText()).endsWith("audit-unavailable");
        assertThat(fx.payments("Blocked SA")).isEmpty();
        try (var c = portal().sql(); var status = c.prepareStatement("select status, decided_by from approval_requests where id = ?::uuid")) {
            status.setString(1, id);
            try (var rs = status.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("PENDING");
                assertThat(rs.getObject(2)).isNull();
            }
        }
    }
}
