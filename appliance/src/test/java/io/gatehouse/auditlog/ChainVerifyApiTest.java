package io.gatehouse.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Verify from the API: intact, then the exact row a superuser edited, and every check is itself in the trail. */
class ChainVerifyApiTest {

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

    private static JsonNode verifyNow() {
        HttpResponse<String> response = admin.postJson("/api/v1/admin/audit/verify", Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WebSession.parse(response.body());
    }

    private static JsonNode lastVerification() {
        HttpResponse<String> response = admin.get("/api/v1/admin/audit/verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        return WebSession.parse(response.body());
    }

    @Test
    void verifyReportsIntactThenTheExactEditedRowAndEachCheckIsAudited() throws SQLException {
        assertThat(lastVerification().isNull()).as("never verified yet").isTrue();
        AuditTrail trail = portal.bean(AuditTrail.class);
        trail.record(AuditEvent.of("test.before").detail("n", 1));
        long edited = trail.record(AuditEvent.of("test.edited").detail("amount", 100));
        trail.record(AuditEvent.of("test.after").detail("n", 3));

        JsonNode intact = verifyNow();
        assertThat(intact.path("intact").asBoolean()).isTrue();
        assertThat(intact.path("rowsChecked").asLong()).isEqualTo(intact.path("lastSeq").asLong()).isGreaterThan(edited);
        assertThat(intact.path("firstBrokenSeq").isNull()).isTrue();
        assertThat(intact.path("problem").isNull()).isTrue();
        assertThat(intact.path("checkedBy").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(intact.path("checkedAt").asText()).isEqualTo(portal.clock.instant().toString());
        assertThat(lastVerification()).isEqualTo(intact);

        String original;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            try (ResultSet rs = s.executeQuery("select details from audit_events where seq = " + edited)) {
                rs.next();
                original = rs.getString(1);
            }
            // A superuser can switch the append-only trigger off; the chain still tells.
            s.execute("set session_replication_role = replica");
            s.executeUpdate("update audit_events set details = '{\"amount\":1}' where seq = " + edited);
            s.execute("set session_replication_role = origin");
            try {
                JsonNode broken = verifyNow();
                assertThat(broken.path("intact").asBoolean()).isFalse();
                assertThat(broken.path("firstBrokenSeq").asLong()).isEqualTo(edited);
                assertThat(broken.path("rowsChecked").asLong()).isEqualTo(edited - 1);
                assertThat(broken.path("problem").asText()).isEqualTo("Row " + edited + ": its content does not match its hash (the row was changed).");
                assertThat(lastVerification()).isEqualTo(broken);
            } finally {
                s.execute("set session_replication_role = replica");
                try (PreparedStatement restore = owner.prepareStatement("update audit_events set details = ? where seq = ?")) {
                    restore.setString(1, original);
                    restore.setLong(2, edited);
                    restore.executeUpdate();
                }
                s.execute("set session_replication_role = origin");
            }
        }
        JsonNode again = verifyNow();
        assertThat(again.path("intact").asBoolean()).isTrue();
        // The first check's row, the broken one's and the second check's (not yet part of the third check) were added.
        assertThat(again.path("lastSeq").asLong()).isEqualTo(intact.path("lastSeq").asLong() + 2);

        // Each check is in the trail with its result, newest first; a broken chain is recorded as a failure.
        JsonNode checks = WebSession.parse(admin.get("/api/v1/admin/audit?action=audit.verified").body()).path("items");
        assertThat(checks).hasSize(3);
        assertThat(checks.findValuesAsText("outcome")).containsExactly("SUCCESS", "FAILURE", "SUCCESS");
        assertThat(checks.findValuesAsText("actorEmail")).containsOnly(TestPortal.ADMIN_EMAIL);
        JsonNode brokenRow = WebSession.parse(checks.get(1).path("details").asText());
        assertThat(brokenRow.path("intact").asBoolean()).isFalse();
        assertThat(brokenRow.path("firstBrokenSeq").asLong()).isEqualTo(edited);
        assertThat(brokenRow.path("problem").asText()).startsWith("Row " + edited + ":");
        assertThat(WebSession.parse(checks.get(0).path("details").asText()).path("rowsChecked").asLong())
                .isEqualTo(again.path("rowsChecked").asLong());
    }
}
