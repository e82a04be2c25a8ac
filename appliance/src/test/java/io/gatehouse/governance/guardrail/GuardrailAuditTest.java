package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Guardrail changes are audited (what changed, never the patterns), and refused when the trail cannot record them. */
class GuardrailAuditTest {

    static final String AGENT = "guardrail-audit-test/1.0";
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static String sqlAction() {
        return WebSession.parse(admin.get("/api/v1/admin/guardrails/everyone").body()).path("checks").path("sqlText").asText();
    }

    private static String other(String action) {
        return "BLOCK".equals(action) ? "STRIP" : "BLOCK";
    }

    @Test
    void anUpdateNamesTheChangedCheckAndListSizesAndAResetIsRecorded() {
        String wanted = other(sqlAction());
        long before = AuditedRows.lastSeq(portal);

        HttpResponse<String> updated = admin.putJson("/api/v1/admin/guardrails/everyone",
                Map.of("checks", Map.of("sqlText", wanted), "denyPatterns", List.of("project\\s+falcon")), "User-Agent", AGENT);
        HttpResponse<String> reset = admin.delete("/api/v1/admin/guardrails/everyone", "User-Agent", AGENT);

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(204);
        AuditedRows.Row update = AuditedRows.only(portal, before, "guardrail.updated");
        assertThat(update.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(update.userAgent()).isEqualTo(AGENT);
        assertThat(update.requestId()).isEqualTo(updated.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(update.targetType()).isEqualTo("guardrail");
        assertThat(update.targetId()).isEqualTo("everyone");
        assertThat(update.details().path("checks").toString()).isEqualTo("{\"sqlText\":\"" + wanted + "\"}");
        assertThat(update.details().path("listSizes").toString()).isEqualTo("{\"denyPatterns\":1}");
        assertThat(update.details().toString()).doesNotContain("falcon");
        AuditedRows.Row resetRow = AuditedRows.only(portal, before, "guardrail.reset");
        assertThat(resetRow.requestId()).isEqualTo(reset.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void anUpdateTheTrailCannotRecordIsRefusedAndChangesNothing() throws Exception {
        String current = sqlAction();
        HttpResponse<String> refused;
        try (AutoCloseable trail = AuditedRows.refusingAll(portal)) {
            refused = admin.putJson("/api/v1/admin/guardrails/everyone", Map.of("checks", Map.of("sqlText", other(current))));
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        JsonNode problem = WebSession.parse(refused.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:audit-unavailable");
        assertThat(sqlAction()).isEqualTo(current);
    }
}
