package io.gatehouse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the audit trail. {@link #record} returns only once the row is committed, and throws
 * {@link AuditUnavailableException} when it cannot be, so the caller refuses the action (fail closed).
 *
 * <p>Throughput comes from group commit: callers queue their events and wait; one writer thread takes whatever
 * is queued (up to {@value #MAX_BATCH}), chains it onto the last row under a transaction-scoped advisory lock
 * (so several portal nodes extend one chain), inserts it in one statement and commits, then releases the callers.
 * A caller waiting is therefore never acknowledged before its row is committed (and durable, when PostgreSQL runs
 * with fsync and synchronous_commit on, its defaults; the embedded server is started with both off).
 *
 * <p>A batch costs three round trips whatever its size (lock and head, insert, commit), and the database runs one
 * INSERT per batch rather than one per row. Measured against one INSERT per row and a round trip more
 * ({@code bench/run-audit.sh --compare}, 2 CPUs): about a third more rows/s with 32 concurrent writers, two thirds
 * more with 128, the same with 8; a lone append takes ~60 µs longer (0.45 instead of 0.39 ms).
 */
@Singleton
public class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    static final int MAX_BATCH = 1_000;
    /** Any constant shared by all nodes: the lock that serialises appends to the chain. */
    private static final long CHAIN_LOCK = 0x6761746568_6175L;
    /**
     * The batch as one statement: a column array per field, unnested into rows. Times and ids travel as text and are
     * cast by the server (the driver has no array encoding for them); {@link AuditChain#storable} times print exactly.
     */
    private static final String INSERT = "insert into audit_events (seq, occurred_at, actor_id, actor_email, action, outcome,"
            + " target_type, target_id, connector, ip, user_agent, request_id, details, prev_hash, hash)"
            + " select * from unnest(?::int8[], ?::timestamptz[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bytea[])";
    /** The last row's seq and hash; after an archival removed every row, the archive's anchor (older rows: lower seq). */
    private static final String HEAD = "(select seq, hash from audit_events order by seq desc limit 1)"
            + " union all (select last_seq, last_hash from audit_archives order by last_seq desc limit 1) order by 1 desc limit 1";
    /**
     * Lock, then head, sent together: one round trip. They are separate statements, so the head is read with a
     * snapshot taken after the lock was granted (READ COMMITTED: a snapshot per statement) and sees every row the
     * previous lock holder committed. First, for this transaction only, a generic plan for {@link #INSERT}: with
     * the arrays' real lengths PostgreSQL would otherwise plan it afresh on every batch (a custom plan for a small
     * array always looks cheaper), which costs more than inserting a few rows. There is only one plan for it anyway.
     */
    private static final String LOCK_AND_HEAD = "set local plan_cache_mode = force_generic_plan; select pg_advisory_xact_lock(?); " + HEAD;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration commitTimeout;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    private record Pending(AuditEvent event, CompletableFuture<Long> committed) {
    }

    AuditTrail(DataSource dataSource, DataSourceResolver resolver, ObjectMapper json, Clock clock,
               @Value("${gatehouse.audit.commit-timeout:10s}") Duration commitTimeout) {
        // The pool itself, not Micronaut Data's connection-bound proxy: the writer runs its own transactions.
        this.dataSource = resolver.resolve(dataSource);
        this.json = json;
        this.clock = clock;
        this.commitTimeout = commitTimeout;
        this.writer = Thread.ofPlatform().daemon().name("audit-writer").start(this::drain);
    }

    /**
     * A trail outside the application context, for the ops commands the installer runs while the portal may be
     * stopped ({@code io.gatehouse.ops}): it appends to the same chain under the same lock. Stop it with {@link #close()}.
     */
    public static AuditTrail standalone(DataSource dataSource, Clock clock) {
        return new AuditTrail(dataSource, DataSourceResolver.DEFAULT, new ObjectMapper(), clock, Duration.ofSeconds(10));
    }

    /** Writes what is queued and stops the writer (a {@link #standalone} trail; the context stops its own). */
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Appends the event and waits until it is committed; returns its sequence number. */
    public long record(AuditEvent event) {
        return append(event).await();
    }

    /**
     * Queues the event and returns at once; {@link Appending#await()} waits for the commit. For work that can run
     * while the row commits (a model call) but must not be delivered unless it did.
     */
    public Appending append(AuditEvent event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (running) {
            queue.add(pending);
        } else {
            pending.committed().completeExceptionally(new IllegalStateException("audit trail stopped"));
        }
        return new Appending(event.action(), pending.committed(), commitTimeout);
    }

    /** An event on its way into the trail. */
    public record Appending(String action, CompletableFuture<Long> committed, Duration timeout) {

        /** The committed row's seq; throws {@link AuditUnavailableException} if it was not committed in time. */
        public long await() {
            try {
                return committed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditUnavailableException(action);
            } catch (ExecutionException | TimeoutException e) {
                throw new AuditUnavailableException(action);
            }
        }
    }

    /** Convenience for the builder. */
    public long record(AuditEvent.Builder event) {
        return record(event.build());
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | SQLException | JsonProcessingException e) {
                LOG.error("Could not write {} audit event(s); the actions they record were refused: {}", batch.size(), reason(e));
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        queue.forEach(p -> p.committed().completeExceptionally(new IllegalStateException("audit trail stopped")));
    }

    /** The database's own reason: a failed JDBC batch's message quotes the whole statement with its values. */
    private static String reason(Exception e) {
        if (e instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null) {
            return batch.getNextException().getMessage();
        }
        return e.getMessage();
    }

    private void write(List<Pending> batch) throws SQLException, JsonProcessingException {
        List<String> details = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            details.add(json.writeValueAsString(p.event().details()));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ChainHead head = lockAndReadHead(c);
                long seq = head.seq();
                byte[] prev = head.hash();
                Columns columns = new Columns(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    AuditEvent e = batch.get(i).event();
                    seq++;
                    AuditRecord row = new AuditRecord(seq, AuditChain.storable(clock.instant()), e.actorId(), e.actorEmail(), e.action(),
                            e.outcome().name(), e.targetType(), e.targetId(), e.connector(), e.origin().ip(), e.origin().userAgent(),
                            e.origin().requestId(), details.get(i), prev, null);
                    byte[] hash = AuditChain.hash(prev, row);
                    columns.set(i, row, hash);
                    prev = hash;
                }
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                    columns.bind(c, insert);
                    int inserted = insert.executeUpdate();
                    if (inserted != batch.size()) {
                        throw new SQLException("Inserted " + inserted + " audit rows instead of " + batch.size());
                    }
                }
                c.commit();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).committed().complete(columns.seqs[i]);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A batch of rows as one array per column, in {@link #INSERT}'s parameter order. */
    private static final class Columns {
        final Long[] seqs;
        final String[] times;
        final String[] actorIds;
        /** actor_email, action, outcome, target_type, target_id, connector, ip, user_agent, request_id, details. */
        final String[][] texts;
        final byte[][] prevHashes;
        final byte[][] hashes;

        Columns(int rows) {
            seqs = new Long[rows];
            times = new String[rows];
            actorIds = new String[rows];
            texts = new String[10][rows];
            prevHashes = new byte[rows][];
            hashes = new byte[rows][];
        }

        void set(int i, AuditRecord row, byte[] hash) {
            seqs[i] = row.seq();
            times[i] = row.occurredAt().toString(); // ISO-8601 in UTC ('Z'), to the microsecond: the hashed instant exactly
            actorIds[i] = row.actorId() == null ? null : row.actorId().toString();
            String[] fields = {row.actorEmail(), row.action(), row.outcome(), row.targetType(), row.targetId(), row.connector(), row.ip(),
                row.userAgent(), row.requestId(), row.details()};
            for (int f = 0; f < fields.length; f++) {
                texts[f][i] = fields[f];
            }
            prevHashes[i] = row.prevHash();
            hashes[i] = hash;
        }

        void bind(Connection c, PreparedStatement insert) throws SQLException {
            insert.setArray(1, c.createArrayOf("int8", seqs));
            insert.setArray(2, c.createArrayOf("text", times));
            insert.setArray(3, c.createArrayOf("text", actorIds));
            for (int f = 0; f < texts.length; f++) {
                insert.setArray(4 + f, c.createArrayOf("text", texts[f]));
            }
            insert.setArray(14, c.createArrayOf("bytea", prevHashes));
            insert.setArray(15, c.createArrayOf("bytea", hashes));
        }
    }

    /** The last row's seq and hash; after an archival removed every row, the archive's anchor; else genesis. */
    record ChainHead(long seq, byte[] hash) {
    }

    static ChainHead head(Connection c) throws SQLException {
        try (PreparedStatement last = c.prepareStatement(HEAD); ResultSet rs = last.executeQuery()) {
            return headOf(rs);
        }
    }

    /** Takes the chain lock for this transaction and reads the head under it, in one round trip. */
    private static ChainHead lockAndReadHead(Connection c) throws SQLException {
        try (PreparedStatement both = c.prepareStatement(LOCK_AND_HEAD)) {
            both.setLong(1, CHAIN_LOCK);
            both.execute(); // the setting's update count, then the lock's result, then the head's
            both.getMoreResults();
            if (!both.getMoreResults()) {
                throw new SQLException("No chain head result after the audit chain lock");
            }
            try (ResultSet rs = both.getResultSet()) {
                return headOf(rs);
            }
        }
    }

    private static ChainHead headOf(ResultSet rs) throws SQLException {
        return rs.next() ? new ChainHead(rs.getLong(1), rs.getBytes(2)) : new ChainHead(0, AuditChain.GENESIS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(Duration.ofSeconds(10));
    }
}
