package io.gatehouse.retention;

import static io.gatehouse.retention.RetentionFixtures.assertProblem;
import static io.gatehouse.retention.RetentionFixtures.conversation;
import static io.gatehouse.retention.RetentionFixtures.exists;
import static io.gatehouse.retention.RetentionFixtures.lastAudit;
import static io.gatehouse.retention.RetentionFixtures.member;
import static io.gatehouse.retention.RetentionFixtures.messagesOf;
import static io.gatehouse.retention.RetentionFixtures.modelCall;
import static io.gatehouse.retention.RetentionFixtures.modelCallExists;
import static io.gatehouse.retention.RetentionFixtures.ok;
import static io.gatehouse.retention.RetentionFixtures.placeHold;
import static io.gatehouse.retention.RetentionFixtures.releaseHold;
import static io.gatehouse.retention.RetentionFixtures.setPeriods;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.chat.Conversation;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purge deletes exactly what is past its period and nothing a legal hold covers; holds also block an admin's
 * deletion; every run and hold change is audited.
 */
class RetentionPurgeTest {

    static TestPortal portal;
    static WebSession admin;
    static int people;
    static final java.util.Map<UUID, String> emails = new java.util.HashMap<>();

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    /**
     * Each test starts with nothing left to purge: far in the future of what earlier tests wrote, with a 30-day chat
     * and 90-day model-call period, after one purge. Counts are then exactly this test's.
     */
    @BeforeEach
    void nothingLeftFromEarlierTests() {
        portal.clock.advance(Duration.ofDays(1000));
        admin = portal.admin(); // the clock jump ended the old session
        ok(setPeriods(admin, 30, 90, null));
        ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));
    }

    @AfterEach
    void releaseAllHolds() {
        portal.clock.advance(Duration.ofMinutes(1)); // a new sign-in needs a new authenticator code
        admin = portal.admin();
        for (JsonNode hold : ok(admin.get("/api/v1/admin/legal-holds")).path("active")) {
            ok(releaseHold(admin, hold.path("id").asText(), "test over"));
        }
    }

    private static UUID person() {
        String email = "person" + (++people) + "@example.test";
        UUID id = member(portal, email);
        emails.put(id, email);
        return id;
    }

    private static String email(UUID id) {
        return emails.get(id);
    }

    private static Instant now() {
        return portal.clock.instant();
    }

    @Test
    void thePurgeRemovesOnlyConversationsAndModelCallsPastTheirPeriod() throws Exception {
        UUID owner = person();
        Conversation idle31Days = conversation(portal, owner, "old", 2);
        portal.clock.advance(Duration.ofDays(2));
        Conversation idle29Days = conversation(portal, owner, "recent", 1);
        portal.clock.advance(Duration.ofDays(29));
        UUID call91Days = modelCall(portal, owner, idle31Days, now().minus(Duration.ofDays(91)));
        UUID call89Days = modelCall(portal, owner, idle29Days, now().minus(Duration.ofDays(89)));
        admin = portal.admin();

        JsonNode run = ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));

        assertThat(exists(portal, idle31Days)).isFalse();
        assertThat(messagesOf(portal, idle31Days)).isZero();
        assertThat(exists(portal, idle29Days)).isTrue();
        assertThat(messagesOf(portal, idle29Days)).isEqualTo(2);
        assertThat(modelCallExists(portal, call91Days)).isFalse();
        assertThat(modelCallExists(portal, call89Days)).isTrue();
        assertThat(run.path("conversations").asLong()).isEqualTo(1);
        assertThat(run.path("messages").asLong()).isEqualTo(4);
        assertThat(run.path("modelCalls").asLong()).isEqualTo(1);
        assertThat(Instant.parse(run.path("chatCutoff").asText())).isEqualTo(now().minus(Duration.ofDays(30)));
        RetentionFixtures.Row purged = lastAudit(portal, "retention.purged");
        assertThat(purged.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(purged.outcome()).isEqualTo("SUCCESS");
        assertThat(purged.targetId()).isEqualTo(run.path("runId").asText());
        assertThat(purged.details().path("conversations").asLong()).isEqualTo(1);
        assertThat(purged.details().path("messages").asLong()).isEqualTo(4);
        assertThat(purged.details().path("model_calls").asLong()).isEqualTo(1);
        assertThat(lastAudit(portal, "retention.purge_started").seq()).isLessThan(purged.seq());
        JsonNode lastRun = ok(admin.get("/api/v1/admin/retention")).path("runs").get(0);
        assertThat(lastRun.path("id").asText()).isEqualTo(run.path("runId").asText());
        assertThat(lastRun.path("conversations").asLong()).isEqualTo(1);
        assertThat(lastRun.path("finishedAt").isNull()).isFalse();
    }

    @Test
    void aPersonUnderLegalHoldKeepsEverythingThroughPurgeAndCannotBeDeletedUntilReleased() throws Exception {
        UUID held = person();
        UUID other = person();
        Conversation heldChat = conversation(portal, held, "held", 1);
        Conversation otherChat = conversation(portal, other, "other", 1);
        UUID heldCall = modelCall(portal, held, null, now().minus(Duration.ofDays(200)));
        UUID otherCall = modelCall(portal, other, otherChat, now().minus(Duration.ofDays(200)));
        JsonNode hold = ok(placeHold(admin, "USER", email(held), null, "Case 2026-17"));
        assertThat(hold.path("active").asBoolean()).isTrue();
        assertThat(hold.path("userEmail").asText()).isEqualTo(email(held));
        portal.clock.advance(Duration.ofDays(40));
        admin = portal.admin();

        ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));

        assertThat(exists(portal, heldChat)).isTrue();
        assertThat(messagesOf(portal, heldChat)).isEqualTo(2);
        assertThat(modelCallExists(portal, heldCall)).isTrue();
        assertThat(exists(portal, otherChat)).isFalse();
        assertThat(modelCallExists(portal, otherCall)).isFalse();

        var refused = admin.delete("/api/v1/admin/users/" + held + "/chat-data");
        assertProblem(refused, 409, "legal-hold");
        assertThat(WebSession.parse(refused.body()).path("detail").asText()).contains(email(held), "Case 2026-17", "Release the hold");
        assertThat(exists(portal, heldChat)).isTrue();

        JsonNode released = ok(releaseHold(admin, hold.path("id").asText(), "Case closed"));
        assertThat(released.path("active").asBoolean()).isFalse();
        assertThat(released.path("releaseReason").asText()).isEqualTo("Case closed");
        ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));

        assertThat(exists(portal, heldChat)).isFalse();
        assertThat(modelCallExists(portal, heldCall)).isFalse();
        RetentionFixtures.Row placed = lastAudit(portal, "legal_hold.placed");
        assertThat(placed.targetType()).isEqualTo("user");
        assertThat(placed.targetId()).isEqualTo(held.toString());
        assertThat(placed.details().path("hold_id").asText()).isEqualTo(hold.path("id").asText());
        assertThat(placed.details().path("reason").asText()).isEqualTo("Case 2026-17");
        RetentionFixtures.Row releasedRow = lastAudit(portal, "legal_hold.released");
        assertThat(releasedRow.details().path("hold_id").asText()).isEqualTo(hold.path("id").asText());
        assertThat(releasedRow.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
    }

    @Test
    void aConversationUnderLegalHoldIsKeptWhileTheOwnersOtherConversationsArePurged() throws Exception {
        UUID owner = person();
        Conversation held = conversation(portal, owner, "held", 1);
        Conversation notHeld = conversation(portal, owner, "not held", 1);
        UUID heldCall = modelCall(portal, owner, held, now().minus(Duration.ofDays(200)));
        UUID otherCall = modelCall(portal, owner, notHeld, now().minus(Duration.ofDays(200)));
        JsonNode hold = ok(placeHold(admin, "CONVERSATION", null, held.id().toString(), "Complaint 88"));
        assertThat(hold.path("userId").asText()).isEqualTo(owner.toString());
        portal.clock.advance(Duration.ofDays(40));
        admin = portal.admin();

        JsonNode run = ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));

        assertThat(exists(portal, held)).isTrue();
        assertThat(modelCallExists(portal, heldCall)).isTrue();
        assertThat(exists(portal, notHeld)).isFalse();
        assertThat(modelCallExists(portal, otherCall)).isFalse();
        assertThat(run.path("conversations").asLong()).isEqualTo(1);
        assertProblem(admin.delete("/api/v1/admin/users/" + owner + "/chat-data"), 409, "legal-hold");

        ok(releaseHold(admin, hold.path("id").asText(), "Complaint withdrawn"));
        ok(admin.postJson("/api/v1/admin/retention/purge", "{}"));

        assertThat(exists(portal, held)).isFalse();
        assertThat(modelCallExists(portal, heldCall)).isFalse();
        assertThat(lastAudit(portal, "legal_hold.placed").targetId()).isEqualTo(held.id().toString());
    }

    @Test
    void theNightlyRunPurgesOncePerNightHoweverManyNodesTryAndRunsAtHalfPastThreeInTheInstallationZone() throws Exception {
        UUID owner = person();
        Conversation old = conversation(portal, owner, "old", 1);
        portal.clock.advance(Duration.ofDays(31));
        NightlyRetention nightly = portal.bean(NightlyRetention.class);

        NightlyRetention.NightlyResult first = nightly.run();
        NightlyRetention.NightlyResult second = nightly.run();

        assertThat(first.purge()).isNotNull();
        assertThat(first.purge().conversations()).isEqualTo(1);
        assertThat(first.archive()).isNull(); // no audit retention set
        assertThat(second.purge()).isNull();
        assertThat(exists(portal, old)).isFalse();
        RetentionFixtures.Row purged = lastAudit(portal, "retention.purged");
        assertThat(purged.actorEmail()).isNull();
        assertThat(purged.details().path("trigger").asText()).isEqualTo("NIGHTLY");
        assertThat(purged.details().path("night").asText()).isEqualTo(first.night().toString());
        // As the scheduler reads it: the zone placeholder resolved from the installation's setting.
        var scheduled = portal.running().context().getBeanDefinition(NightlyRetention.class).getExecutableMethods().stream()
                .filter(m -> m.getMethodName().equals("scheduled")).findFirst().orElseThrow()
                .getAnnotationMetadata().getAnnotation(io.micronaut.scheduling.annotation.Scheduled.class);
        assertThat(scheduled.stringValue("cron")).contains("0 30 3 * * *");
        assertThat(scheduled.stringValue("zoneId")).contains("UTC");
        assertThat(nightly.nextRun().toLocalTime()).isEqualTo(java.time.LocalTime.of(3, 30));
        assertThat(nightly.nextRun().toInstant()).isAfter(now());
    }

    @Test
    void periodsAreValidatedAuditedWithBeforeAndAfterAndAPurgeWithNothingSetIsRefused() throws Exception {
        var tooShort = setPeriods(admin, 30, 90, 364);
        assertProblem(tooShort, 400, "invalid-retention");
        assertThat(WebSession.parse(tooShort.body()).path("field").asText()).isEqualTo("auditDays");
        assertThat(WebSession.parse(tooShort.body()).path("detail").asText()).contains("365", "evidence");
        assertProblem(setPeriods(admin, 0, 90, null), 400, "invalid-retention");
        assertProblem(setPeriods(admin, 30, 40_000, null), 400, "invalid-retention");

        JsonNode saved = ok(setPeriods(admin, 60, null, 400));
        assertThat(saved.path("chatDays").asInt()).isEqualTo(60);
        assertThat(saved.path("modelCallDays").isNull()).isTrue();
        assertThat(saved.path("auditDays").asInt()).isEqualTo(400);
        assertThat(saved.path("updatedBy").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        RetentionFixtures.Row updated = lastAudit(portal, "retention.updated");
        assertThat(updated.details().path("before").path("chat_days").asInt()).isEqualTo(30);
        assertThat(updated.details().path("before").path("model_call_days").asInt()).isEqualTo(90);
        assertThat(updated.details().path("after").path("chat_days").asInt()).isEqualTo(60);
        assertThat(updated.details().path("after").path("model_call_days").isNull()).isTrue();
        assertThat(updated.details().path("after").path("audit_days").asInt()).isEqualTo(400);

        ok(setPeriods(admin, null, null, null));
        assertProblem(admin.postJson("/api/v1/admin/retention/purge", "{}"), 409, "nothing-to-purge");
        assertProblem(admin.postJson("/api/v1/admin/retention/archive", "{}"), 409, "audit-kept-forever");
    }

    @Test
    void aChangeThatCannotBeAuditedIsNotMade() throws Exception {
        String app;
        try (var c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        try (var owner = portal.sql(); var s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                assertProblem(setPeriods(admin, 7, 7, null), 503, "audit-unavailable");
                assertProblem(placeHold(admin, "USER", TestPortal.ADMIN_EMAIL, null, "x"), 503, "audit-unavailable");
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }
        JsonNode state = ok(admin.get("/api/v1/admin/retention"));
        assertThat(state.path("settings").path("chatDays").asInt()).isEqualTo(30);
        assertThat(ok(admin.get("/api/v1/admin/legal-holds")).path("active")).isEmpty();
    }

    @Test
    void holdsAreValidatedAndCannotBePlacedTwiceOrReleasedTwice() {
        UUID owner = person();
        assertProblem(placeHold(admin, "USER", email(owner), null, " "), 400, "invalid-legal-hold");
        assertProblem(placeHold(admin, "USER", "nobody@example.test", null, "x"), 400, "invalid-legal-hold");
        assertProblem(placeHold(admin, "EVERYTHING", email(owner), null, "x"), 400, "invalid-legal-hold");
        assertProblem(placeHold(admin, "CONVERSATION", null, UUID.randomUUID().toString(), "x"), 400, "invalid-legal-hold");
        assertProblem(placeHold(admin, "CONVERSATION", null, "not-an-id", "x"), 400, "invalid-legal-hold");
        JsonNode hold = ok(placeHold(admin, "USER", owner.toString(), null, "Matter 1"));
        assertProblem(placeHold(admin, "user", email(owner).toUpperCase(), null, "Matter 2"), 409, "legal-hold-exists");

        ok(releaseHold(admin, hold.path("id").asText(), "done"));

        assertProblem(releaseHold(admin, hold.path("id").asText(), "again"), 409, "legal-hold-released");
        assertProblem(releaseHold(admin, UUID.randomUUID().toString(), "x"), 404, "legal-hold-not-found");
        JsonNode holds = ok(admin.get("/api/v1/admin/legal-holds"));
        assertThat(holds.path("active")).isEmpty();
        assertThat(holds.path("released").get(0).path("id").asText()).isEqualTo(hold.path("id").asText());
    }

    @Test
    void onlyAdminsReachTheRetentionApiAndPage() {
        UUID memberId = person();
        WebSession member = portal.signedIn(email(memberId), RetentionFixtures.PASSWORD);
        for (String path : new String[] {"/api/v1/admin/retention", "/api/v1/admin/legal-holds"}) {
            assertProblem(portal.browser().get(path), 401, "unauthenticated");
            assertProblem(member.get(path), 403, "forbidden");
        }
        assertProblem(member.postJson("/api/v1/admin/retention/purge", "{}"), 403, "forbidden");
        assertProblem(member.postJson("/api/v1/admin/retention/archive", "{}"), 403, "forbidden");
        assertProblem(setPeriods(member, 1, 1, null), 403, "forbidden");
        assertProblem(placeHold(member, "USER", email(memberId), null, "mine"), 403, "forbidden");
        assertThat(member.get("/admin/retention", "Accept", "text/html").statusCode()).isEqualTo(403);

        var page = admin.get("/admin/retention", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Retention periods", "Run purge now", "Legal holds", "/static/retention.js")
                .doesNotContain("<script>");
    }
}
