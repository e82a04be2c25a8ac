package io.gatehouse.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.Origin;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Audit search: every filter returns exactly the rows it should, newest first, in keyset pages; admins only. */
class AuditSearchApiTest {

    static final String PASSWORD = "a long and unusual passphrase";
    static TestPortal portal;
    static WebSession admin;
    static WebSession member;
    /** A prefix no other row has, so each query below sees only this class's rows. */
    static final String P = "srch" + UUID.randomUUID().toString().substring(0, 8);
    static final UUID ALICE = UUID.randomUUID();
    static final List<Long> seqs = new ArrayList<>();
    static final List<Instant> times = new ArrayList<>();

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        portal.bean(UserAccounts.class).createLocal("member@example.test", null, PASSWORD, false);
        member = portal.signedIn("member@example.test", PASSWORD);
        AuditTrail trail = portal.bean(AuditTrail.class);
        // Six rows a minute apart: who, what, connector and outcome vary so each filter picks a known subset.
        Object[][] rows = {
                {ALICE, "alice@" + P + ".test", P + ".read", "crm", AuditEvent.Outcome.SUCCESS},
                {UUID.randomUUID(), "bob@" + P + ".test", P + ".write", "crm", AuditEvent.Outcome.DENIED},
                {ALICE, "alice@" + P + ".test", P + ".write", "erp", AuditEvent.Outcome.FAILURE},
                {UUID.randomUUID(), "carol@" + P + ".test", P + "x.read", null, AuditEvent.Outcome.SUCCESS},
                {ALICE, "alice@" + P + ".test", P + ".read", "crm", AuditEvent.Outcome.SUCCESS},
                {null, null, P + ".system", null, AuditEvent.Outcome.SUCCESS},
        };
        for (Object[] r : rows) {
            portal.clock.advance(Duration.ofMinutes(1));
            times.add(portal.clock.instant());
            seqs.add(trail.record(AuditEvent.of((String) r[2]).actor((UUID) r[0], (String) r[1]).connector((String) r[3])
                    .outcome((AuditEvent.Outcome) r[4]).target("thing", 42).origin(new Origin("192.0.2.9", "agent", "req-" + r[2]))
                    .detail("n", 1)));
        }
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static JsonNode search(String query) {
        HttpResponse<String> response = admin.get("/api/v1/admin/audit?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WebSession.parse(response.body());
    }

    /** The seqs found, as indexes into {@link #seqs} (0 = the first row made), in the order returned. */
    private static List<Integer> found(String query) {
        List<Integer> rows = new ArrayList<>();
        for (JsonNode item : search(query).path("items")) {
            rows.add(seqs.indexOf(item.path("seq").asLong()));
        }
        return rows;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aPrefixFindsEveryActionUnderItNewestFirstAndAnExactActionOnlyItself() {
        assertThat(found("action=" + q(P + "."))).containsExactly(5, 4, 2, 1, 0);
        assertThat(found("action=" + q(P + ".*"))).containsExactly(5, 4, 2, 1, 0);
        assertThat(found("action=" + q(P + ".write"))).containsExactly(2, 1);
        assertThat(found("action=" + q(P.toUpperCase() + ".READ"))).containsExactly(4, 0);
        assertThat(found("action=" + q(P + "x."))).containsExactly(3);
        assertThat(found("action=" + q(P))).isEmpty(); // not a prefix without its dot
    }

    @Test
    void theActorMatchesPartOfTheEmailIgnoringCaseOrTheUserId() {
        assertThat(found("action=" + q(P + ".") + "&actor=" + q("ALICE@" + P))).containsExactly(4, 2, 0);
        assertThat(found("actor=" + q("@" + P + ".test"))).containsExactly(4, 3, 2, 1, 0);
        assertThat(found("actor=" + ALICE)).containsExactly(4, 2, 0);
        // LIKE wildcards are matched literally.
        assertThat(found("action=" + q(P + ".") + "&actor=" + q("%"))).isEmpty();
        assertThat(found("action=" + q(P + ".") + "&actor=" + q("_"))).isEmpty();
    }

    @Test
    void connectorOutcomeAndTimeRangeNarrowTheRows() {
        String all = "action=" + q(P + ".");
        assertThat(found(all + "&connector=crm")).containsExactly(4, 1, 0);
        assertThat(found(all + "&outcome=denied")).containsExactly(1);
        assertThat(found(all + "&outcome=SUCCESS&connector=crm")).containsExactly(4, 0);
        // from <= time < to
        assertThat(found(all + "&from=" + times.get(1) + "&to=" + times.get(4))).containsExactly(2, 1);
        assertThat(found(all + "&from=" + q(times.get(4).atOffset(java.time.ZoneOffset.ofHours(2)).toString()))).containsExactly(5, 4);
        assertThat(found(all + "&to=" + q(times.get(1).toString().replace("Z", "")))).containsExactly(0); // local, UTC zone
        String day = times.getFirst().toString().substring(0, 10);
        assertThat(found(all + "&from=" + day + "&to=" + day)).containsExactly(5, 4, 2, 1, 0); // a date as "to" is the whole day
        assertThat(found(all + "&to=" + day)).containsExactly(5, 4, 2, 1, 0);
        assertThat(found(all + "&from=" + times.get(0).minusSeconds(86_400).toString().substring(0, 10) + "&to="
                + times.get(0).minusSeconds(86_400).toString().substring(0, 10))).isEmpty();
    }

    @Test
    void pagesFollowNextBeforeUntilTheLastOneAndShowEveryColumn() {
        String all = "action=" + q(P + ".") + "&limit=2";
        JsonNode first = search(all);
        assertThat(first.path("items")).hasSize(2);
        assertThat(first.path("nextBefore").asLong()).isEqualTo(seqs.get(4));
        JsonNode second = search(all + "&before=" + first.path("nextBefore").asLong());
        assertThat(second.path("items").findValuesAsText("seq")).containsExactly(seqs.get(2).toString(), seqs.get(1).toString());
        JsonNode third = search(all + "&before=" + second.path("nextBefore").asLong());
        assertThat(third.path("items").findValuesAsText("seq")).containsExactly(seqs.get(0).toString());
        assertThat(third.has("nextBefore")).isTrue();
        assertThat(third.path("nextBefore").isNull()).isTrue();
        assertThat(search("action=" + q(P + ".") + "&limit=5").path("nextBefore").isNull()).isTrue();

        JsonNode row = third.path("items").get(0);
        assertThat(row.path("occurredAt").asText()).isEqualTo(times.get(0).toString());
        assertThat(row.path("actorId").asText()).isEqualTo(ALICE.toString());
        assertThat(row.path("actorEmail").asText()).isEqualTo("alice@" + P + ".test");
        assertThat(row.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(row.path("targetType").asText()).isEqualTo("thing");
        assertThat(row.path("targetId").asText()).isEqualTo("42");
        assertThat(row.path("connector").asText()).isEqualTo("crm");
        assertThat(row.path("ip").asText()).isEqualTo("192.0.2.9");
        assertThat(row.path("userAgent").asText()).isEqualTo("agent");
        assertThat(row.path("requestId").asText()).isEqualTo("req-" + P + ".read");
        assertThat(row.path("details").asText()).isEqualTo("{\"n\":1}");
        assertThat(row.path("prevHash").asText()).hasSize(64);
        assertThat(row.path("hash").asText()).hasSize(64).isNotEqualTo(row.path("prevHash").asText());
        JsonNode system = search("action=" + q(P + ".system")).path("items").get(0);
        assertThat(system.has("actorId") && system.path("actorId").isNull()).isTrue();
        assertThat(system.has("connector") && system.path("connector").isNull()).isTrue();
    }

    @Test
    void withoutFiltersTheNewestRowsComeFirstFiftyAtATime() {
        JsonNode page = search("");
        assertThat(page.path("items").size()).isBetween(1, 50);
        long previous = Long.MAX_VALUE;
        for (JsonNode item : page.path("items")) {
            assertThat(item.path("seq").asLong()).isLessThan(previous);
            previous = item.path("seq").asLong();
        }
    }

    @ParameterizedTest(name = "{0}={1} -> 400 on {0}")
    @CsvSource({
            "outcome, MAYBE",
            "action, Auth Sign In",
            "action, auth..x",
            "from, yesterday",
            "to, 2026-13-01",
            "before, 0",
            "before, abc",
            "limit, 0",
            "limit, 501",
            "limit, many",
    })
    void aBadFilterIsA400NamingItsField(String field, String value) {
        HttpResponse<String> response = admin.get("/api/v1/admin/audit?" + field + "=" + q(value));
        assertProblem(response, 400, "invalid-audit-filter", field);
    }

    @Test
    void anEndBeforeTheStartOrAnOverlongFilterIsA400() {
        assertProblem(admin.get("/api/v1/admin/audit?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z"), 400, "invalid-audit-filter", "to");
        assertProblem(admin.get("/api/v1/admin/audit?actor=" + "a".repeat(400)), 400, "invalid-audit-filter", "actor");
        assertProblem(admin.get("/api/v1/admin/audit/export?format=xml"), 400, "invalid-audit-export", "format");
        assertProblem(admin.get("/api/v1/admin/audit/export"), 400, "invalid-audit-export", "format");
        assertProblem(admin.get("/api/v1/admin/audit/export?format=csv&outcome=x"), 400, "invalid-audit-filter", "outcome");
    }

    @Test
    void aMemberGets403AndNobodyWithoutASessionGetsIn() {
        for (String path : List.of("/api/v1/admin/audit", "/api/v1/admin/audit/export?format=csv", "/api/v1/admin/audit/verify")) {
            assertProblem(member.get(path), 403, "forbidden", null);
            assertProblem(portal.browser().get(path), 401, "unauthenticated", null);
        }
        assertProblem(member.postJson("/api/v1/admin/audit/verify", "{}"), 403, "forbidden", null);
        assertProblem(portal.browser().postJson("/api/v1/admin/audit/verify", "{}"), 401, "unauthenticated", null);
        assertThat(member.get("/admin/audit", "Accept", "text/html").statusCode()).isEqualTo(403);
        assertThat(portal.browser().get("/admin/audit", "Accept", "text/html").statusCode()).isEqualTo(303);
        // Nothing was exported or verified for them.
        assertThat(found("action=audit.exported")).isEmpty();
        assertThat(found("action=audit.verified")).isEmpty();
    }

    @Test
    void theAdminGetsThePageWithItsControls() {
        HttpResponse<String> page = admin.get("/admin/audit", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"audit-filters\"", "id=\"verify-now\"", "id=\"export-csv\"", "id=\"export-jsonl\"",
                "/static/audit.js", "data-zone=\"UTC\"");
        assertThat(admin.get("/static/audit.js").statusCode()).isEqualTo(200);
        assertThat(admin.get("/static/audit.css").statusCode()).isEqualTo(200);
    }

    static void assertProblem(HttpResponse<String> response, int status, String type, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = WebSession.parse(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
        if (field != null) {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
    }
}
