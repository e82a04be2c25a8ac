package io.gatehouse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.jdbc.DataSourceResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
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
 * {@link AuditTrail} as it was at commit 4e0b185 (the audit trail core), before the append path was tuned: per batch
 * the advisory lock and the chain head in two round trips, then one single-row INSERT per event in a JDBC batch. Kept
 * only so {@code AuditAppendBench --compare} can measure the current writer against it side by side on the same
 * database (the two append to one chain, serialised by the same advisory lock, like two portal nodes). Not a bean.
 *
 * <p>Original description: appends to the audit trail. {@link #record} returns only once the row is committed, and throws
 * {@link AuditUnavailableException} when it cannot be, so the caller refuses the action (fail closed).
 *
 * <p>Throughput comes from group commit: callers queue their events and wait; one writer thread takes whatever
 * is queued (up to {@value #MAX_BATCH}), chains it onto the last row under a transaction-scoped advisory lock
 * (so several portal nodes extend one chain), inserts it in one batch and commits, then releases the callers.
 * A caller waiting is therefore never acknowledged before its row is durable.
 */
public final class BaselineAuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(BaselineAuditTrail.class);
    static final int MAX_BATCH = 1_000;
    /** Any constant shared by all nodes: the lock that serialises appends to the chain. */
    private static final long CHAIN_LOCK = 0x6761746568_6175L;
    private static final String INSERT = "insert into audit_events (seq, occurred_at, actor_id, actor_email, action, outcome,"
            + " target_type, target_id, connector, ip, user_agent, request_id, details, prev_hash, hash)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration commitTimeout;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    private record Pending(AuditEvent event, CompletableFuture<Long> committed) {
    }

    public BaselineAuditTrail(DataSource dataSource, DataSourceResolver resolver, ObjectMapper json, Clock clock, Duration commitTimeout) {
        // The pool itself, not Micronaut Data's connection-bound proxy: the writer runs its own transactions.
        this.dataSource = resolver.resolve(dataSource);
        this.json = json;
        this.clock = clock;
        this.commitTimeout = commitTimeout;
        this.writer = Thread.ofPlatform().daemon().name("audit-writer-baseline").start(this::drain);
    }

    /** Appends the event and waits until it is committed; returns its sequence number. */
    public long record(AuditEvent event) {
        return append(event).await();
    }

    /**
     * Queues the event and returns at once; {@link Appending#await()} waits for the commit. For work that can run
     * while the row commits (a model call) but must not be delivered unless it did.
     */
    private Appending append(AuditEvent event) {
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
                LOG.error("Could not write {} audit event(s); the actions they record were refused: {}", batch.size(), e.getMessage());
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        queue.forEach(p -> p.committed().completeExceptionally(new IllegalStateException("audit trail stopped")));
    }

    private void write(List<Pending> batch) throws SQLException, JsonProcessingException {
        List<String> details = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            details.add(json.writeValueAsString(p.event().details()));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, CHAIN_LOCK);
                    lock.execute();
                }
                ChainHead head = head(c);
                long seq = head.seq();
                byte[] prev = head.hash();
                long[] seqs = new long[batch.size()];
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                    for (int i = 0; i < batch.size(); i++) {
                        AuditEvent e = batch.get(i).event();
                        seq++;
                        AuditRecord row = new AuditRecord(seq, AuditChain.storable(clock.instant()), e.actorId(), e.actorEmail(), e.action(),
                                e.outcome().name(), e.targetType(), e.targetId(), e.connector(), e.origin().ip(), e.origin().userAgent(),
                                e.origin().requestId(), details.get(i), prev, null);
                        byte[] hash = AuditChain.hash(prev, row);
                        bind(insert, row, hash);
                        insert.addBatch();
                        seqs[i] = seq;
                        prev = hash;
                    }
                    insert.executeBatch();
                }
                c.commit();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).committed().complete(seqs[i]);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The last row's seq and hash; after an archival removed every row, the archive's anchor; else genesis. */
    private record ChainHead(long seq, byte[] hash) {
    }

    private static ChainHead head(Connection c) throws SQLException {
        try (PreparedStatement last = c.prepareStatement("select seq, hash from audit_events order by seq desc limit 1");
             ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                return new ChainHead(rs.getLong(1), rs.getBytes(2));
            }
        }
        try (PreparedStatement anchor = c.prepareStatement("select last_seq, last_hash from audit_archives order by last_seq desc limit 1");
             ResultSet rs = anchor.executeQuery()) {
            if (rs.next()) {
                return new ChainHead(rs.getLong(1), rs.getBytes(2));
            }
        }
        return new ChainHead(0, AuditChain.GENESIS);
    }

    private static void bind(PreparedStatement insert, AuditRecord row, byte[] hash) throws SQLException {
        insert.setLong(1, row.seq());
        insert.setObject(2, row.occurredAt().atOffset(ZoneOffset.UTC));
        insert.setObject(3, row.actorId(), Types.OTHER);
        insert.setString(4, row.actorEmail());
        insert.setString(5, row.action());
        insert.setString(6, row.outcome());
        insert.setString(7, row.targetType());
        insert.setString(8, row.targetId());
        insert.setString(9, row.connector());
        insert.setString(10, row.ip());
        insert.setString(11, row.userAgent());
        insert.setString(12, row.requestId());
        insert.setString(13, row.details());
        insert.setBytes(14, row.prevHash());
        insert.setBytes(15, hash);
    }

    public void stop() throws InterruptedException {
        running = false;
        writer.join(Duration.ofSeconds(10));
    }
}
