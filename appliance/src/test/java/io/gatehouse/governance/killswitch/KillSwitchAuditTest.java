package io.gatehouse.governance.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pulling and releasing a kill-switch leave audit rows naming who, from where, which switch and why; unrecorded, nothing changes. */
class KillSwitchAuditTest {

    static final String AGENT = "kill-switch-audit-test/1.0";

    static TestPortal portal;
    static WebSession admin;
    static UUID adminId;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        adminId = AuditedRows.userId(portal, TestPortal.ADMIN_EMAIL);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @AfterEach
    void releaseEverything() {
        KillSwitchFixtures.releaseAll(admin);
    }

    private static HttpResponse<String> post(String action, String scope, String target, String reason) {
        Map<String, Object> form = new HashMap<>();
        form.put("scope", scope);
        form.put("target", target);
        form.put("reason", reason);
        return admin.postJson("/api/v1/admin/kill-switch/" + action, form, "User-Agent", AGENT);
    }

    private static void assertFrom(AuditedRows.Row row, HttpResponse<String> response) {
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.ip()).isEqualTo("127.0.0.1");
        assertThat(row.userAgent()).isEqualTo(AGENT);
        assertThat(row.requestId()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void pullingAndReleasingAModelSwitchLeaveOneRowEachWithTheReason() {
        long before = AuditedRows.lastSeq(portal);

        HttpResponse<String> pulled = post("engage", "MODEL", "gpt-audit", "suspected prompt leak");
        HttpResponse<String> released = post("release", "MODEL", "gpt-audit", "fixed upstream");

        assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(200);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        AuditedRows.Row engaged = AuditedRows.only(portal, before, "kill_switch.engaged");
        assertFrom(engaged, pulled);
        assertThat(engaged.targetType()).isEqualTo("kill_switch");
        assertThat(engaged.targetId()).isEqualTo("model:gpt-audit");
        assertThat(engaged.connector()).isNull();
        assertThat(engaged.details().path("scope").asText()).isEqualTo("MODEL");
        assertThat(engaged.details().path("reason").asText()).isEqualTo("suspected prompt leak");
        AuditedRows.Row release = AuditedRows.only(portal, before, "kill_switch.released");
        assertFrom(release, released);
        assertThat(release.targetId()).isEqualTo("model:gpt-audit");
        assertThat(release.details().path("reason").asText()).isEqualTo("fixed upstream");
        assertThat(release.seq()).isGreaterThan(engaged.seq());
    }

    @Test
    void globalConnectorAndToolSwitchesNameTheirTargetAndConnector() {
        long before = AuditedRows.lastSeq(portal);

        assertThat(post("engage", "GLOBAL", null, "incident").statusCode()).isEqualTo(200);
        assertThat(post("engage", "CONNECTOR", "demo", "incident").statusCode()).isEqualTo(200);
        assertThat(post("engage", "TOOL", "demo__run_query", "incident").statusCode()).isEqualTo(200);

        var rows = AuditedRows.since(portal, before, "kill_switch.engaged");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).targetId()).isEqualTo("global");
        assertThat(rows.get(0).connector()).isNull();
        assertThat(rows.get(1).targetId()).isEqualTo("connector:demo");
        assertThat(rows.get(1).connector()).isEqualTo("demo");
        assertThat(rows.get(2).targetId()).isEqualTo("tool:demo__run_query");
        assertThat(rows.get(2).connector()).isEqualTo("demo");
    }

    @Test
    void releasingASwitchThatIsNotEngagedLeavesNoRow() {
        long before = AuditedRows.lastSeq(portal);

        HttpResponse<String> released = post("release", "MODEL", "never-pulled", "");

        assertThat(released.statusCode()).isEqualTo(409);
        assertThat(AuditedRows.since(portal, before, "kill_switch.released")).isEmpty();
    }

    @Test
    void aSwitchChangeTheTrailCannotRecordIsRefusedWith503AndChangesNothing() throws Exception {
        assertThat(post("engage", "MODEL", "stays-on", "kept").statusCode()).isEqualTo(200);
        long history = portal.bean(KillSwitch.class).history(0, 1).total();
        HttpResponse<String> pull;
        HttpResponse<String> release;
        try (AutoCloseable trail = AuditedRows.refusingAll(portal)) {
            pull = post("engage", "GLOBAL", null, "would stop everything");
            release = post("release", "MODEL", "stays-on", "");
        }

        for (HttpResponse<String> response : new HttpResponse[] {pull, release}) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(WebSession.parse(response.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:audit-unavailable");
        }
        KillSwitch killSwitch = portal.bean(KillSwitch.class);
        killSwitch.reload();
        assertThat(killSwitch.isTripped(KillSwitch.Scope.GLOBAL, "")).isFalse();
        assertThat(killSwitch.isTripped(KillSwitch.Scope.MODEL, "stays-on")).isTrue();
        assertThat(killSwitch.history(0, 1).total()).isEqualTo(history);
    }
}
