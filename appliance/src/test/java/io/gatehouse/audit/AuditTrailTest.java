package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit trail is append-only for the application, tamper-evident for everyone, and refuses when it cannot write. */
class AuditTrailTest {

    private static TestPortal portal;
    private static AuditTrail trail;
    private static ChainVerifier verifier;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        trail = portal.bean(AuditTrail.class);
        verifier = portal.bean(ChainVerifier.class);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static long record(String action) {
        return trail.record(AuditEvent.of(action).actor(UUID.randomUUID(), "someone@example.com")
                .origin(new Origin("192.0.2.7", "test-agent", "req-1")).detail("rows", 3).detail("note", "a \"quoted\", value\n"));
    }

    @Test
    void concurrentWritersGetOneGapFreeChainThatVerifies() throws Exception {
        long before = maxSeq();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            seqs.add(pool.submit(() -> record("test.concurrent")));
        }
        List<Long> got = new ArrayList<>();
        for (Future<Long> f : seqs) {
            got.add(f.get());
        }
        pool.shutdown();
        assertThat(got).doesNotHaveDuplicates().allMatch(s -> s > before && s <= before + 800);
        assertThat(maxSeq()).isEqualTo(before + 800);
        ChainVerifier.Verification result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.problem())).isTrue();
        assertThat(result.lastSeq()).isEqualTo(before + 800);
    }

    @Test
    void theApplicationLoginCannotChangeOrRemoveAuditRows() throws SQLException {
        long seq = record("test.protected");
        try (Connection app = portal.sqlAsApplication(); Statement s = app.createStatement()) {
            String login = app.getMetaData().getUserName();
            assertThat(login).isNotEqualTo("postgres");
            // The owner can grant itself anything back (or drop the trigger): the application login must own nothing.
            try (ResultSet rs = s.executeQuery("select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user")) {
                rs.next();
                assertThat(rs.getInt(1)).as("tables owned by " + login).isZero();
            }
            try (ResultSet rs = s.executeQuery("select count(*) from audit_events where seq = " + seq)) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1); // it may read
            }
            assertThatThrownBy(() -> s.executeUpdate("update audit_events set action = 'x' where seq = " + seq))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_events where seq = " + seq))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("truncate audit_events")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("insert into audit_archives (id, last_seq, last_hash, row_count, file_name,"
                    + " file_sha256, archived_at) values (gen_random_uuid(), 1, '\\x00', 1, 'f', '\\x00', now())"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void theTriggerRefusesEvenTheOwnerAndVerifyFindsAnEditedRowAtExactlyThatRow() throws SQLException {
        record("test.before");
        long edited = record("test.edited");
        record("test.after");
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("update audit_events set details = '{}' where seq = " + edited))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_events where seq = " + edited))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("truncate audit_events")).hasMessageContaining("append-only");
            // A superuser can switch triggers off; the chain still tells.
            s.execute("set session_replication_role = replica");
            s.executeUpdate("update audit_events set details = '{\"rows\":0}' where seq = " + edited);
            s.execute("set session_replication_role = origin");
            try {
                ChainVerifier.Verification broken = verifier.verify();
                assertThat(broken.intact()).isFalse();
                assertThat(broken.firstBrokenSeq()).isEqualTo(edited);
                assertThat(broken.problem()).contains("Row " + edited + ":").contains("changed");
            } finally {
                // Put it back (all test rows carry the same details) so the other tests see an intact chain.
                s.execute("set session_replication_role = replica");
                s.executeUpdate("update audit_events set details = (select details from audit_events where seq = " + (edited - 1) + ")"
                        + " where seq = " + edited);
                s.execute("set session_replication_role = origin");
            }
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void aRemovedRowIsFoundWhereTheGapIs() throws SQLException {
        long first = record("test.gap.1");
        long removed = record("test.gap.2");
        record("test.gap.3");
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("create temp table kept as select * from audit_events where seq = " + removed);
            s.execute("set session_replication_role = replica");
            s.executeUpdate("delete from audit_events where seq = " + removed);
            try {
                ChainVerifier.Verification broken = verifier.verify();
                assertThat(broken.intact()).isFalse();
                assertThat(broken.firstBrokenSeq()).isEqualTo(removed + 1);
                assertThat(broken.problem()).isEqualTo("Row " + (removed + 1) + ": row " + removed + " before it is missing.");
            } finally {
                s.executeUpdate("insert into audit_events select * from kept");
                s.execute("set session_replication_role = origin");
            }
        }
        assertThat(first).isLessThan(removed);
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void whenARowCannotBeWrittenTheCallerIsRefused() throws SQLException {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                assertThatThrownBy(() -> record("test.refused")).isInstanceOf(AuditUnavailableException.class)
                        .hasMessageContaining("Nothing was done");
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }
        assertThat(record("test.recovered")).isPositive();
    }

    private static long maxSeq() throws SQLException {
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(max(seq), 0) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
