package io.gatehouse.retention;

import static io.gatehouse.retention.RetentionFixtures.assertProblem;
import static io.gatehouse.retention.RetentionFixtures.lastAudit;
import static io.gatehouse.retention.RetentionFixtures.ok;
import static io.gatehouse.retention.RetentionFixtures.setPeriods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditChain;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChainVerifier;
import io.gatehouse.audit.Origin;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Archival is the only way audit rows leave the table: what is past the audit retention goes to a verifiable file,
 * the chain verifies from the archive's anchor on, and nobody can delete rows that were not archived.
 */
class AuditArchivalTest {

    static TestPortal portal;
    static WebSession admin;
    static AuditTrail trail;
    static ChainVerifier verifier;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        trail = portal.bean(AuditTrail.class);
        verifier = portal.bean(ChainVerifier.class);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static long record(String action) {
        return trail.record(AuditEvent.of(action).actor(UUID.randomUUID(), "someone@example.test")
                .origin(new Origin("192.0.2.9", "agent \"x\"", "req-9")).detail("note", "a, \"quoted\"\nvalue ü"));
    }

    /** Writes a few rows, jumps past a 365-day audit retention and archives through the API. */
    private static JsonNode archiveOldRows() {
        for (int i = 0; i < 5; i++) {
            record("test.old");
        }
        portal.clock.advance(Duration.ofDays(400));
        admin = portal.admin();
        ok(setPeriods(admin, null, null, 365));
        return ok(admin.postJson("/api/v1/admin/retention/archive", "{}"));
    }

    private static Path archiveDir() {
        return portal.dataDir().resolve("audit-archive");
    }

    @Test
    void rowsPastTheAuditRetentionMoveToAFileWhoseHashesAndCountCheckAndTheChainStaysIntact() throws Exception {
        JsonNode archived = archiveOldRows();
        long lastSeq = archived.path("lastSeq").asLong();
        long firstSeq = archived.path("firstSeq").asLong();

        // Everything written before the jump is past retention; the rows of the jump itself (sign-in, settings) are not.
        assertThat(archived.path("rows").asLong()).isEqualTo(lastSeq - firstSeq + 1).isGreaterThanOrEqualTo(5);
        assertThat(Instant.parse(archived.path("cutoff").asText())).isEqualTo(portal.clock.instant().minus(Duration.ofDays(365)));
        Path file = archiveDir().resolve(archived.path("file").asText());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(sha256).isEqualTo(archived.path("sha256").asText());
        assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".sha256")))
                .isEqualTo(sha256 + "  " + file.getFileName() + "\n");
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize((int) archived.path("rows").asLong());
        byte[] prev = HexFormat.of().parseHex(lines.getFirst().path("prev_hash").asText());
        long expectedSeq = firstSeq;
        for (JsonNode line : lines) {
            AuditRecord row = record(line);
            assertThat(row.seq()).isEqualTo(expectedSeq++);
            assertThat(row.prevHash()).isEqualTo(prev);
            assertThat(AuditChain.hash(prev, row)).as("row %d rehashed from the file", row.seq()).isEqualTo(row.hash());
            prev = row.hash();
        }
        assertThat(lines.getLast().path("hash").asText()).isEqualTo(archived.path("lastHash").asText());
        assertThat(lines).anySatisfy(l -> assertThat(l.path("details").asText()).contains("a, \\\"quoted\\\"\\nvalue ü"));

        try (Connection c = portal.sql(); Statement s = c.createStatement()) {
            assertThat(count(s, "select count(*) from audit_events where seq <= " + lastSeq)).isZero();
            assertThat(count(s, "select min(seq) from audit_events")).isEqualTo(lastSeq + 1);
            try (ResultSet rs = s.executeQuery("select last_seq, last_hash, row_count, file_name, file_sha256 from audit_archives"
                    + " where last_seq = " + lastSeq)) {
                assertThat(rs.next()).isTrue();
                assertThat(HexFormat.of().formatHex(rs.getBytes("last_hash"))).isEqualTo(archived.path("lastHash").asText());
                assertThat(rs.getLong("row_count")).isEqualTo(lines.size());
                assertThat(rs.getString("file_name")).isEqualTo(file.getFileName().toString());
                assertThat(HexFormat.of().formatHex(rs.getBytes("file_sha256"))).isEqualTo(sha256);
            }
        }
        RetentionFixtures.Row row = lastAudit(portal, "audit.archived");
        assertThat(row.seq()).isGreaterThan(lastSeq);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.details().path("sha256").asText()).isEqualTo(sha256);
        assertThat(row.details().path("rows").asLong()).isEqualTo(lines.size());
        assertThat(row.details().path("last_seq").asLong()).isEqualTo(lastSeq);
        assertThat(row.details().path("file").asText()).isEqualTo(file.getFileName().toString());

        ChainVerifier.Verification verified = verifier.verify();
        assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
        long appended = record("test.after-archival");
        assertThat(appended).isEqualTo(maxSeq());
        ChainVerifier.Verification again = verifier.verify();
        assertThat(again.intact()).as(String.valueOf(again.problem())).isTrue();
        assertThat(again.lastSeq()).isEqualTo(appended);
        JsonNode state = ok(admin.get("/api/v1/admin/retention"));
        assertThat(state.path("archives").get(0).path("sha256").asText()).isEqualTo(sha256);
        assertThat(state.path("archiveDirectory").asText()).isEqualTo(archiveDir().toAbsolutePath().toString());
    }

    @Test
    void aSecondArchiveTheNightlyOneContinuesTheChainFromTheFirstAndNothingOldLeavesNothingToDo() throws Exception {
        JsonNode first = archiveOldRows();
        record("test.old");
        portal.clock.advance(Duration.ofDays(400));

        NightlyRetention.NightlyResult night = portal.bean(NightlyRetention.class).run();

        AuditArchival.Archived second = night.archive();
        assertThat(second).isNotNull();
        assertThat(second.firstSeq()).isEqualTo(first.path("lastSeq").asLong() + 1);
        List<JsonNode> lines = lines(archiveDir().resolve(second.file()));
        assertThat(lines.getFirst().path("prev_hash").asText()).isEqualTo(first.path("lastHash").asText());
        assertThat(lastAudit(portal, "audit.archived").actorEmail()).isNull();
        assertThat(verifier.verify().intact()).isTrue();

        AuditArchival.Archived nothing = portal.bean(AuditArchival.class).archiveNightly();
        assertThat(nothing.rows()).isZero();
        assertThat(nothing.file()).isNull();
    }

    @Test
    void theApplicationLoginCannotDeleteAndTheTriggerRefusesUnarchivedRowsEvenWithTheSettingOn() throws Exception {
        long archivedUpTo = archiveOldRows().path("lastSeq").asLong();
        long unarchived = record("test.kept");
        try (Connection app = portal.sqlAsApplication(); Statement s = app.createStatement()) {
            s.execute("set gatehouse.audit_archival = 'on'");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_events where seq = " + unarchived))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("insert into audit_archives (id, last_seq, last_hash, row_count, file_name,"
                    + " file_sha256, archived_at) values (gen_random_uuid(), " + unarchived + ", '\\x00', 1, 'f', '\\x00', now())"))
                    .hasMessageContaining("permission denied");
        }
        try (Connection owner = portal.sql()) {
            owner.setAutoCommit(false);
            try (Statement s = owner.createStatement()) {
                s.execute("set local gatehouse.audit_archival = 'on'");
                assertThatThrownBy(() -> s.executeUpdate("delete from audit_events where seq > " + archivedUpTo))
                        .hasMessageContaining("append-only");
            } finally {
                owner.rollback();
            }
        }
        try (Connection c = portal.sql(); Statement s = c.createStatement()) {
            assertThat(count(s, "select count(*) from audit_events where seq = " + unarchived)).isEqualTo(1);
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void theVerifierStartsFromTheArchiveAnchorAndReportsABrokenAnchorAtTheFirstRowAfterIt() throws Exception {
        long anchor = archiveOldRows().path("lastSeq").asLong();
        assertThat(verifier.verify().intact()).isTrue();
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("create temp table kept_anchor as select * from audit_archives where last_seq = " + anchor);
            s.execute("set session_replication_role = replica"); // a superuser getting past the append-only trigger
            s.executeUpdate("update audit_archives set last_hash = '\\x" + "00".repeat(32) + "' where last_seq = " + anchor);
            try {
                ChainVerifier.Verification broken = verifier.verify();
                assertThat(broken.intact()).isFalse();
                assertThat(broken.firstBrokenSeq()).isEqualTo(anchor + 1);
                assertThat(broken.problem()).startsWith("Row " + (anchor + 1) + ": its previous-row hash does not match");
            } finally {
                s.executeUpdate("update audit_archives a set last_hash = k.last_hash from kept_anchor k where a.id = k.id");
                s.execute("set session_replication_role = origin");
            }
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void aBrokenChainIsNotArchivedAndNothingIsRemoved() throws Exception {
        archiveOldRows(); // so the tampered row below is the only thing in the next archive's range
        long tampered = record("test.tampered");
        record("test.old");
        portal.clock.advance(Duration.ofDays(400));
        admin = portal.admin();
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("create temp table kept_row as select * from audit_events where seq = " + tampered);
            s.execute("set session_replication_role = replica");
            s.executeUpdate("update audit_events set actor_email = 'someone-else@example.test' where seq = " + tampered);
            s.execute("set session_replication_role = origin");
            try {
                long archives = count(s, "select count(*) from audit_archives");
                List<Path> filesBefore = files();

                var refused = admin.postJson("/api/v1/admin/retention/archive", "{}");

                assertProblem(refused, 409, "audit-chain-broken");
                assertThat(WebSession.parse(refused.body()).path("detail").asText()).contains("row " + tampered);
                assertThat(count(s, "select count(*) from audit_archives")).isEqualTo(archives);
                assertThat(count(s, "select count(*) from audit_events where seq = " + tampered)).isEqualTo(1);
                assertThat(files()).isEqualTo(filesBefore);
            } finally {
                s.execute("set session_replication_role = replica");
                s.executeUpdate("update audit_events e set actor_email = k.actor_email from kept_row k where e.seq = k.seq");
                s.execute("set session_replication_role = origin");
            }
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void onlyAdminsArchive() {
        UUID id = RetentionFixtures.member(portal, "member@example.test");
        WebSession member = portal.signedIn("member@example.test", RetentionFixtures.PASSWORD);
        assertProblem(member.postJson("/api/v1/admin/retention/archive", "{}"), 403, "forbidden");
        assertProblem(portal.browser().postJson("/api/v1/admin/retention/archive", "{}"), 401, "unauthenticated");
        assertThat(id).isNotNull();
    }

    private static List<Path> files() throws IOException {
        if (!Files.isDirectory(archiveDir())) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(archiveDir())) {
            return list.sorted().toList();
        }
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(WebSession.parse(line));
            }
        }
        return lines;
    }

    private static AuditRecord record(JsonNode l) {
        return new AuditRecord(l.path("seq").asLong(), Instant.parse(l.path("occurred_at").asText()),
                l.path("actor_id").isNull() ? null : UUID.fromString(l.path("actor_id").asText()), text(l, "actor_email"),
                text(l, "action"), text(l, "outcome"), text(l, "target_type"), text(l, "target_id"), text(l, "connector"),
                text(l, "ip"), text(l, "user_agent"), text(l, "request_id"), text(l, "details"),
                HexFormat.of().parseHex(l.path("prev_hash").asText()), HexFormat.of().parseHex(l.path("hash").asText()));
    }

    private static String text(JsonNode line, String field) {
        assertThat(line.has(field)).as("every column is in the file: " + field).isTrue();
        return line.path(field).isNull() ? null : line.path(field).asText();
    }

    private static long maxSeq() throws SQLException {
        try (Connection c = portal.sql(); Statement s = c.createStatement()) {
            return count(s, "select max(seq) from audit_events");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
