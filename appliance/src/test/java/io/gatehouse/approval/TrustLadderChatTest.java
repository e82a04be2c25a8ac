package io.gatehouse.approval;

import static io.gatehouse.approval.ActionFixtures.QUERY;
import static io.gatehouse.approval.ActionFixtures.WRITE;
import static io.gatehouse.approval.ActionFixtures.insert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trust ladder through the real chat pipeline: the scripted model asks for the SQL connector's write tool on a
 * database it may write to, and what the database holds afterwards shows what ran.
 */
class TrustLadderChatTest {

    static ActionFixtures fx;
    static String shadowRole;
    static String selfRole;
    static String fourEyesRole;
    static String adminRole;
    static String auditedRole;
    static String boundedCountRole;
    static String boundedAmountRole;
    static String readerRole;

    @BeforeAll
    static void start() {
        fx = new ActionFixtures();
        shadowRole = fx.role("Shadow writers", Map.of("trustLevel", "SHADOW"));
        selfRole = fx.role("Self-approved writers", Map.of("trustLevel", "SUPERVISED", "approver", "REQUESTER"));
        fourEyesRole = fx.role("Payments", Map.of("trustLevel", "SUPERVISED", "approver", "OTHER_PERSON"));
        adminRole = fx.role("Admin-approved writers", Map.of("trustLevel", "SUPERVISED", "approver", "ADMIN"));
        auditedRole = fx.role("Audited writers", Map.of("trustLevel", "AUDITED"));
        boundedCountRole = fx.role("Twice a day", Map.of("trustLevel", "BOUNDED", "maxCallsPerDay", 2));
        boundedAmountRole = fx.role("Small amounts", Map.of("trustLevel", "BOUNDED", "argumentLimits", Map.of("amount", Map.of("max", 500))));
        readerRole = fx.role("Readers", null);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aShadowCallIsProposedAndNeverRuns() throws Exception {
        fx.person("shadow@example.test", shadowRole);
        WebSession shadow = fx.signIn("shadow@example.test");
        String args = insert("Shadow Ltd", "100");

        ActionFixtures.Turn turn = fx.ask(shadow, WRITE, args);

        assertThat(fx.payments("Shadow Ltd")).isEmpty();
        assertThat(turn.toldModel()).contains("Proposed, not run").contains("nothing was executed");
        JsonNode proposal = fx.requestFor(shadow, turn, args);
        assertThat(proposal.path("status").asText()).isEqualTo("PROPOSED");
        assertThat(proposal.path("trustLevel").asText()).isEqualTo("SHADOW");
        HttpResponse<String> approve = shadow.postJson("/api/v1/approvals/" + proposal.path("id").asText() + "/approve", Map.of());
        assertThat(approve.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(approve.body()).path("type").asText()).endsWith("proposal-only");
        assertThat(fx.payments("Shadow Ltd")).isEmpty();
    }

    @Test
    void aSupervisedCallRunsExactlyTheApprovedArgumentsAndAChangedCallNeedsANewApproval() throws Exception {
        fx.person("sue@example.test", selfRole);
        WebSession sue = fx.signIn("sue@example.test");
        String first = insert("Supervised AG", "120.50");

        ActionFixtures.Turn turn = fx.ask(sue, WRITE, first);

        assertThat(fx.payments("Supervised AG")).isEmpty();
        assertThat(turn.toldModel()).contains("Held, not run").contains("waiting for a person to approve").contains("Do not retry");
        JsonNode held = fx.requestFor(sue, turn, first);
        assertThat(held.path("status").asText()).isEqualTo("PENDING");
        assertThat(held.path("mayApprove").asBoolean()).isTrue();
        assertThat(held.path("argumentsSha256").asText()).isEqualTo(ApprovalRequest.sha256(first));
        assertThat(held.path("argumentsPretty").asText()).contains("\"sql\" : \"insert into payments");

        HttpResponse<String> approved = sue.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve",
                Map.of("argumentsSha256", held.path("argumentsSha256").asText(), "comment", "ok"));

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode done = WebSession.parse(approved.body());
        assertThat(done.path("status").asText()).isEqualTo("EXECUTED");
        assertThat(done.path("outcome").asText()).contains("\"affectedRows\":1");
        assertThat(done.path("decidedBy").asText()).isEqualTo("sue@example.test");
        assertThat(fx.payments("Supervised AG")).containsExactly("Supervised AG 120.50");

        // The model asks again with another amount: a new request, held; nothing more ran.
        String changed = insert("Supervised AG", "999.00");
        ActionFixtures.Turn again = fx.ask(sue, WRITE, changed);
        JsonNode second = fx.requestFor(sue, again, changed);
        assertThat(second.path("id").asText()).isNotEqualTo(held.path("id").asText());
        assertThat(second.path("status").asText()).isEqualTo("PENDING");
        assertThat(fx.payments("Supervised AG")).containsExactly("Supervised AG 120.50");
        // The first approval cannot be used again.
        HttpResponse<String> reuse = sue.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve", Map.of());
        assertThat(reuse.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(reuse.body()).path("type").asText()).endsWith("approval-decided");
        assertThat(fx.payments("Supervised AG")).containsExactly("Supervised AG 120.50");
    }

    @Test
    void anApprovalNamingOtherArgumentsIsRefusedAndNothingRuns() throws Exception {
        fx.person("hash@example.test", selfRole);
        WebSession person = fx.signIn("hash@example.test");
        String args = insert("Hash GmbH", "10");
        JsonNode held = fx.requestFor(person, fx.ask(person, WRITE, args), args);

        HttpResponse<String> approve = person.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve",
                Map.of("argumentsSha256", ApprovalRequest.sha256(insert("Hash GmbH", "10000"))));

        assertThat(approve.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(approve.body()).path("type").asText()).endsWith("approval-arguments-changed");
        assertThat(fx.payments("Hash GmbH")).isEmpty();
    }

    @Test
    void argumentsChangedInTheDatabaseAfterTheRequestDoNotRun() throws Exception {
        fx.person("tamper@example.test", selfRole);
        WebSession person = fx.signIn("tamper@example.test");
        String args = insert("Tamper Inc", "10");
        JsonNode held = fx.requestFor(person, fx.ask(person, WRITE, args), args);
        try (Connection c = fx.portal.sql(); var update = c.prepareStatement("update approval_requests set arguments_json = ? where id = ?::uuid")) {
            update.setString(1, insert("Tamper Inc", "99999"));
            update.setString(2, held.path("id").asText());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        JsonNode result = WebSession.parse(person.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve", Map.of()).body());

        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("outcome").asText()).contains("no longer match");
        assertThat(fx.payments("Tamper Inc")).isEmpty();
    }

    @Test
    void anExpiredApprovalIsRefusedAndNothingRuns() throws Exception {
        fx.person("late@example.test", selfRole);
        WebSession late = fx.signIn("late@example.test");
        String args = insert("Late & Co", "50");
        JsonNode held = fx.requestFor(late, fx.ask(late, WRITE, args), args);

        fx.portal.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        HttpResponse<String> approve = late.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve", Map.of());

        assertThat(approve.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(approve.body()).path("type").asText()).endsWith("approval-expired");
        assertThat(WebSession.parse(approve.body()).path("detail").asText()).contains("nothing ran");
        assertThat(fx.payments("Late & Co")).isEmpty();
        assertThat(fx.requestFor(late, new ActionFixtures.Turn(null, "", ""), args).path("status").asText()).isEqualTo("EXPIRED");
    }

    @Test
    void aRejectedCallNeverRuns() throws Exception {
        fx.person("reject@example.test", selfRole);
        WebSession person = fx.signIn("reject@example.test");
        String args = insert("Rejected BV", "75");
        JsonNode held = fx.requestFor(person, fx.ask(person, WRITE, args), args);

        HttpResponse<String> reject = person.postJson("/api/v1/approvals/" + held.path("id").asText() + "/reject",
                Map.of("comment", "wrong payee"));
        HttpResponse<String> approveAfter = person.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve", Map.of());

        assertThat(reject.statusCode()).isEqualTo(200);
        JsonNode rejected = WebSession.parse(reject.body());
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("comment").asText()).isEqualTo("wrong payee");
        assertThat(approveAfter.statusCode()).isEqualTo(409);
        assertThat(fx.payments("Rejected BV")).isEmpty();
    }

    @Test
    void fourEyesTheRequesterCannotApproveButAColleagueWithTheGrantCan() throws Exception {
        fx.person("pat@example.test", fourEyesRole);
        fx.person("quinn@example.test", fourEyesRole);
        fx.person("olive@example.test", readerRole);
        WebSession pat = fx.signIn("pat@example.test");
        String args = insert("Four Eyes SA", "300");
        JsonNode held = fx.requestFor(pat, fx.ask(pat, WRITE, args), args);
        String id = held.path("id").asText();
        assertThat(held.path("mayApprove").asBoolean()).isFalse();
        assertThat(held.path("mayReject").asBoolean()).isTrue();

        HttpResponse<String> self = pat.postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        HttpResponse<String> outsider = fx.signIn("olive@example.test").postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        HttpResponse<String> anonymous = fx.portal.browser().postJson("/api/v1/approvals/" + id + "/approve", Map.of());

        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(WebSession.parse(self.body()).path("detail").asText()).contains("Four eyes");
        assertThat(outsider.statusCode()).isEqualTo(404);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(fx.payments("Four Eyes SA")).isEmpty();

        WebSession quinn = fx.signIn("quinn@example.test");
        JsonNode waiting = WebSession.parse(quinn.get("/api/v1/me/approvals/to-decide").body());
        assertThat(waiting.findValuesAsText("id")).contains(id);
        HttpResponse<String> colleague = quinn.postJson("/api/v1/approvals/" + id + "/approve",
                Map.of("argumentsSha256", held.path("argumentsSha256").asText()));

        assertThat(colleague.statusCode()).as(colleague.body()).isEqualTo(200);
        assertThat(WebSession.parse(colleague.body()).path("status").asText()).isEqualTo("EXECUTED");
        assertThat(WebSession.parse(colleague.body()).path("decidedBy").asText()).isEqualTo("quinn@example.test");
        assertThat(fx.payments("Four Eyes SA")).containsExactly("Four Eyes SA 300.00");
    }

    @Test
    void anAdminApproverRuleLetsOnlyAnAdminApprove() throws Exception {
        fx.person("ada@example.test", adminRole);
        fx.person("ada-colleague@example.test", adminRole);
        WebSession ada = fx.signIn("ada@example.test");
        String args = insert("Admin Approved plc", "42");
        JsonNode held = fx.requestFor(ada, fx.ask(ada, WRITE, args), args);
        String id = held.path("id").asText();

        HttpResponse<String> self = ada.postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        HttpResponse<String> colleague = fx.signIn("ada-colleague@example.test").postJson("/api/v1/approvals/" + id + "/approve", Map.of());
        HttpResponse<String> queueForNonAdmin = ada.get("/api/v1/admin/approvals");
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(colleague.statusCode()).isEqualTo(404);
        assertThat(queueForNonAdmin.statusCode()).isEqualTo(403);
        assertThat(fx.payments("Admin Approved plc")).isEmpty();

        WebSession admin = fx.portal.admin();
        JsonNode queue = WebSession.parse(admin.get("/api/v1/admin/approvals").body());
        assertThat(queue.path("pending").findValuesAsText("id")).contains(id);
        HttpResponse<String> approved = admin.postJson("/api/v1/approvals/" + id + "/approve", Map.of("comment", "checked"));

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(WebSession.parse(approved.body()).path("status").asText()).isEqualTo("EXECUTED");
        assertThat(fx.payments("Admin Approved plc")).containsExactly("Admin Approved plc 42.00");
        JsonNode after = WebSession.parse(admin.get("/api/v1/admin/approvals").body());
        assertThat(after.path("recent").findValuesAsText("id")).contains(id);
    }

    @Test
    void anAuditedCallRunsAndLandsInTheReviewList() throws Exception {
        fx.person("audrey@example.test", auditedRole);
        WebSession audrey = fx.signIn("audrey@example.test");
        String args = insert("Audited Oy", "64");

        ActionFixtures.Turn turn = fx.ask(audrey, WRITE, args);

        assertThat(turn.toldModel()).contains("\"affectedRows\":1");
        assertThat(fx.payments("Audited Oy")).containsExactly("Audited Oy 64.00");
        WebSession admin = fx.portal.admin();
        JsonNode review = null;
        for (JsonNode r : WebSession.parse(admin.get("/api/v1/admin/action-reviews").body())) {
            if (r.path("arguments").asText().equals(args)) {
                review = r;
            }
        }
        assertThat(review).isNotNull();
        assertThat(review.path("user").asText()).isEqualTo("audrey@example.test");
        assertThat(review.path("tool").asText()).isEqualTo("execute_statement");
        assertThat(review.path("outcome").asText()).contains("\"affectedRows\":1");
        assertThat(review.path("reviewedAt").isNull()).as("not reviewed yet").isTrue();
        assertThat(audrey.get("/api/v1/admin/action-reviews").statusCode()).isEqualTo(403);

        String path = "/api/v1/admin/action-reviews/" + review.path("id").asText() + "/reviewed";
        assertThat(admin.postJson(path, Map.of("note", "fine")).statusCode()).isEqualTo(204);
        assertThat(admin.postJson(path, Map.of()).statusCode()).isEqualTo(409);
        for (JsonNode r : WebSession.parse(admin.get("/api/v1/admin/action-reviews").body())) {
            if (r.path("id").asText().equals(review.path("id").asText())) {
                assertThat(r.path("reviewedBy").asText()).isEqualTo(io.gatehouse.testing.TestPortal.ADMIN_EMAIL);
                assertThat(r.path("note").asText()).isEqualTo("fine");
            }
        }
    }

    @Test
    void aBoundedCallRunsUpToItsDailyCountAndIsRefusedUntilTheNextDay() throws Exception {
        fx.person("bo@example.test", boundedCountRole);
        WebSession bo = fx.signIn("bo@example.test");

        ActionFixtures.Turn first = fx.ask(bo, WRITE, insert("Bounded KG", "1"));
        ActionFixtures.Turn second = fx.ask(bo, WRITE, insert("Bounded KG", "2"));
        ActionFixtures.Turn third = fx.ask(bo, WRITE, insert("Bounded KG", "3"));

        assertThat(first.toldModel()).contains("\"affectedRows\":1");
        assertThat(second.toldModel()).contains("\"affectedRows\":1");
        assertThat(third.toldModel()).contains("Not permitted").contains("limit of 2 calls a day");
        assertThat(third.events().named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        assertThat(fx.payments("Bounded KG")).containsExactly("Bounded KG 1.00", "Bounded KG 2.00");

        // The count is per calendar day (UTC unless GATEHOUSE_ACTION_DAY_ZONE says otherwise): the next day it runs again.
        fx.portal.clock.advance(Duration.ofDays(1));
        ActionFixtures.Turn nextDay = fx.ask(fx.signIn("bo@example.test"), WRITE, insert("Bounded KG", "4"));
        assertThat(nextDay.toldModel()).contains("\"affectedRows\":1");
        assertThat(fx.payments("Bounded KG")).containsExactly("Bounded KG 1.00", "Bounded KG 2.00", "Bounded KG 4.00");
    }

    @Test
    void aBoundedCallOverTheMaximumAmountOrWithoutTheAmountIsRefused() throws Exception {
        fx.person("small@example.test", boundedAmountRole);
        WebSession small = fx.signIn("small@example.test");
        String over = "{\"sql\":\"insert into payments (payee, amount) values ('Bounded Amount', 900)\",\"amount\":900}";
        String asText = "{\"sql\":\"insert into payments (payee, amount) values ('Bounded Amount', 900)\",\"amount\":\"900\"}";
        String missing = insert("Bounded Amount", "900");

        ActionFixtures.Turn overTurn = fx.ask(small, WRITE, over);
        ActionFixtures.Turn textTurn = fx.ask(small, WRITE, asText);
        ActionFixtures.Turn missingTurn = fx.ask(small, WRITE, missing);

        assertThat(overTurn.toldModel()).contains("Not permitted").contains("'amount' is 900, over the maximum of 500");
        assertThat(textTurn.toldModel()).contains("Not permitted").contains("over the maximum of 500");
        assertThat(missingTurn.toldModel()).contains("Not permitted").contains("'amount' is limited and must be given");
        assertThat(fx.payments("Bounded Amount")).isEmpty();
    }

    @Test
    void aPersonWithoutTheActionGrantIsToldNotPermittedAndNothingRuns() throws Exception {
        fx.person("reader@example.test", readerRole);
        WebSession reader = fx.signIn("reader@example.test");

        ActionFixtures.Turn turn = fx.ask(reader, WRITE, insert("Ungranted Ltd", "5"));

        assertThat(turn.toldModel()).contains("Not permitted");
        assertThat(fx.payments("Ungranted Ltd")).isEmpty();
    }

    @Test
    void financeMayQueryInvoicesButEveryWriteWaitsForApproval() throws Exception {
        String finance = fx.role("Finance", Map.of("trustLevel", "SUPERVISED", "approver", "REQUESTER"));
        fx.person("fran@example.test", finance);
        WebSession fran = fx.signIn("fran@example.test");

        ActionFixtures.Turn query = fx.ask(fran, QUERY, "{\"sql\":\"select customer, amount from invoices order by id\"}");
        assertThat(query.toldModel()).contains("Acme GmbH").contains("Globex");

        String markPaid = "{\"sql\":\"update invoices set status = 'paid' where customer = 'Globex'\"}";
        ActionFixtures.Turn write = fx.ask(fran, WRITE, markPaid);
        assertThat(write.toldModel()).contains("Held, not run");
        assertThat(invoiceStatus("Globex")).isEqualTo("open");

        JsonNode held = fx.requestFor(fran, write, markPaid);
        JsonNode done = WebSession.parse(fran.postJson("/api/v1/approvals/" + held.path("id").asText() + "/approve",
                Map.of("argumentsSha256", held.path("argumentsSha256").asText())).body());
        assertThat(done.path("status").asText()).isEqualTo("EXECUTED");
        assertThat(invoiceStatus("Globex")).isEqualTo("paid");
        assertThat(invoiceStatus("Acme GmbH")).isEqualTo("open");
    }

    private static String invoiceStatus(String customer) throws Exception {
        try (Connection c = fx.ledger(); var statement = c.prepareStatement("select status from invoices where customer = ?")) {
            statement.setString(1, customer);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
