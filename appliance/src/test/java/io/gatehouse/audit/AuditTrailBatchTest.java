package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer inserts a whole group-commit batch in one statement (column arrays unnested into rows): every field must
 * arrive exactly as it was hashed, whatever it holds, and a batch keeps the chain's order.
 */
class AuditTrailBatchTest {

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

    @Test
    void everyFieldIsStoredExactlyAsGivenAndHashed() throws SQLException {
        // Nanoseconds the column cannot keep: the stored time is the hashed one, truncated to microseconds.
        Instant now = portal.clock.instant().plusNanos(123_456_789);
        portal.clock.advance(Duration.between(portal.clock.instant(), now));
        Instant expected = AuditChain.storable(now);
        assertThat(expected.getNano() % 1_000_000).isNotZero();
        List<String> awkward = List.of("NULL", "", "a,b", "{x}", "\"quoted\"", "back\\slash", "new\nline", "Zoë 🦉", " padded ");
        List<AuditEvent> events = new ArrayList<>();
        for (String text : awkward) {
            events.add(AuditEvent.of("test.batch").actor(UUID.randomUUID(), text).target(text, text).connector(text)
                    .origin(new Origin(text, text, text)).detail("value", text).detail("n", 7).build());
        }
        events.add(AuditEvent.of("test.batch.nulls").build()); // every optional field null, no details
        events.add(AuditEvent.of("test.batch.denied").denied().actor(null, "who@example.com").build());

        // Queued without waiting, so they reach the writer together and mostly share commits.
        List<AuditTrail.Appending> appending = events.stream().map(trail::append).toList();
        List<Long> seqs = appending.stream().map(AuditTrail.Appending::await).toList();

        for (int i = 0; i < events.size(); i++) {
            AuditEvent event = events.get(i);
            AuditRecord row = stored(seqs.get(i));
            assertThat(row.occurredAt()).isEqualTo(expected);
            assertThat(row.actorId()).isEqualTo(event.actorId());
            assertThat(row.actorEmail()).isEqualTo(event.actorEmail());
            assertThat(row.action()).isEqualTo(event.action());
            assertThat(row.outcome()).isEqualTo(event.outcome().name());
            assertThat(row.targetType()).isEqualTo(event.targetType());
            assertThat(row.targetId()).isEqualTo(event.targetId());
            assertThat(row.connector()).isEqualTo(event.connector());
            assertThat(row.ip()).isEqualTo(event.origin().ip());
            assertThat(row.userAgent()).isEqualTo(event.origin().userAgent());
            assertThat(row.requestId()).isEqualTo(event.origin().requestId());
            assertThat(AuditChain.hash(row.prevHash(), row)).isEqualTo(row.hash());
        }
        assertThat(stored(seqs.get(0)).details()).isEqualTo("{\"value\":\"NULL\",\"n\":7}");
        assertThat(stored(seqs.get(awkward.size())).details()).isEqualTo("{}");
        assertThat(stored(seqs.get(awkward.size())).actorId()).isNull();
        ChainVerifier.Verification result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.problem())).isTrue();
    }

    @Test
    void moreEventsThanOneBatchTakesAreChainedInOrderAndAllCommitted() throws SQLException {
        int count = AuditTrail.MAX_BATCH * 2 + 500;
        List<AuditTrail.Appending> appending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            appending.add(trail.append(AuditEvent.of("test.many").detail("i", i).build()));
        }
        List<Long> seqs = appending.stream().map(AuditTrail.Appending::await).toList();

        // Queue order is chain order: each event's seq is one more than the one queued before it.
        for (int i = 1; i < count; i++) {
            assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }
        // Rows sharing an xmin were inserted by one transaction: one commit.
        List<Long> perCommit = new ArrayList<>();
        try (Connection c = portal.sql(); PreparedStatement rows = c.prepareStatement(
                "select count(*) from audit_events where seq between ? and ? group by xmin::text")) {
            rows.setLong(1, seqs.getFirst());
            rows.setLong(2, seqs.getLast());
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    perCommit.add(rs.getLong(1));
                }
            }
        }
        assertThat(perCommit.stream().mapToLong(Long::longValue).sum()).isEqualTo(count);
        assertThat(perCommit).as("rows per commit").hasSizeGreaterThanOrEqualTo(3).allMatch(n -> n <= AuditTrail.MAX_BATCH);
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void afterAnArchivalRemovedEveryRowTheChainContinuesFromItsAnchor() throws SQLException {
        long last = trail.record(AuditEvent.of("test.anchor").build());
        byte[] anchorHash = HexFormat.of().parseHex("ab".repeat(32));
        try (Connection c = portal.sql()) {
            c.setAutoCommit(false);
            try {
                assertThat(AuditTrail.head(c).seq()).isEqualTo(last);
                // What an archival of everything up to (and past) the last row leaves behind; rolled back below.
                try (PreparedStatement anchor = c.prepareStatement("insert into audit_archives (id, last_seq, last_hash, row_count, file_name,"
                        + " file_sha256, archived_at) values (gen_random_uuid(), ?, ?, 1, 'f', '\\x00', now())")) {
                    anchor.setLong(1, last + 1_000);
                    anchor.setBytes(2, anchorHash);
                    anchor.executeUpdate();
                }
                AuditTrail.ChainHead head = AuditTrail.head(c);
                assertThat(head.seq()).isEqualTo(last + 1_000);
                assertThat(head.hash()).isEqualTo(anchorHash);
            } finally {
                c.rollback();
            }
        }
        assertThat(trail.record(AuditEvent.of("test.anchor.after").build())).isGreaterThan(last);
    }

    @Test
    void anAppendWaitingForAnotherNodesBatchChainsOntoThatBatch() throws SQLException {
        // Another node holds the chain lock and adds a row; this node's writer must wait for the lock and then read
        // the head afresh (lock and head go in one round trip, as two statements: the head's snapshot is taken after
        // the lock is granted). A head read before the lock would reuse the other node's seq and fail.
        try (Connection other = portal.sql(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("select pg_advisory_xact_lock(" + 0x6761746568_6175L + ")");
            AuditTrail.ChainHead head = AuditTrail.head(other);
            AuditRecord row = new AuditRecord(head.seq() + 1, AuditChain.storable(portal.clock.instant()), null, null, "test.other.node",
                    "SUCCESS", null, null, null, null, null, null, "{}", head.hash(), null);
            try (PreparedStatement insert = other.prepareStatement("insert into audit_events (seq, occurred_at, action, outcome, details,"
                    + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, row.seq());
                insert.setObject(2, row.occurredAt().atOffset(ZoneOffset.UTC));
                insert.setString(3, row.action());
                insert.setString(4, row.outcome());
                insert.setString(5, row.details());
                insert.setBytes(6, row.prevHash());
                insert.setBytes(7, AuditChain.hash(row.prevHash(), row));
                insert.executeUpdate();
            }

            AuditTrail.Appending waiting = trail.append(AuditEvent.of("test.after.other.node").build());
            awaitLockWaiter();
            assertThat(waiting.committed()).as("cannot commit while the other node holds the lock").isNotDone();
            other.commit();

            assertThat(waiting.await()).isEqualTo(head.seq() + 2);
        }
        ChainVerifier.Verification result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.problem())).isTrue();
    }

    /** Until a session of this database waits for an advisory lock: the writer is blocked on the chain lock. */
    private static void awaitLockWaiter() throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection c = portal.sql(); PreparedStatement waiters = c.prepareStatement("select count(*) from pg_locks where locktype = 'advisory'"
                + " and not granted and database = (select oid from pg_database where datname = current_database())")) {
            while (true) {
                try (ResultSet rs = waiters.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the audit writer never waited for the chain lock").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling pg_locks, with the deadline above
            }
        }
    }

    private static AuditRecord stored(long seq) throws SQLException {
        try (Connection c = portal.sql(); PreparedStatement select = c.prepareStatement("select * from audit_events where seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("row " + seq).isTrue();
                return ChainVerifier.read(rs);
            }
        }
    }
}
