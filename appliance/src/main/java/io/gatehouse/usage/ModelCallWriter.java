package io.gatehouse.usage;

import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes model-call records off the request path: a call's end only queues its record; one writer thread inserts
 * whatever is queued (up to {@value #MAX_BATCH} rows) in one transaction. A record waits in the queue until its
 * audit row has settled, so it can carry that row's sequence number. On an orderly shutdown everything queued is
 * written before the portal stops; a batch that cannot be written after a few tries is logged as an error.
 */
@Singleton
class ModelCallWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCallWriter.class);
    static final int MAX_BATCH = 500;
    private static final int ATTEMPTS = 3;
    private static final String INSERT = "insert into model_calls (id, started_at, user_id, user_email, conversation_id, channel,"
            + " provider, model, input_tokens, output_tokens, usage_reported, cost, latency_ms, outcome, error, request_sha256,"
            + " output_sha256, audit_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Duration shutdownWait;
    private final LinkedBlockingQueue<ModelCallRecord> queue = new LinkedBlockingQueue<>();
    /** Records handed in whose audit row has not settled yet: not in the queue, but not to be forgotten at shutdown. */
    private final AtomicInteger awaitingAudit = new AtomicInteger();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long stopDeadline = Long.MAX_VALUE;

    ModelCallWriter(DataSource dataSource, DataSourceResolver resolver,
                    @Value("${gatehouse.audit.commit-timeout:10s}") Duration shutdownWait) {
        // The pool itself, not Micronaut Data's connection-bound proxy: the writer runs its own transactions.
        this.dataSource = resolver.resolve(dataSource);
        this.shutdownWait = shutdownWait;
        this.writer = Thread.ofPlatform().daemon().name("model-call-writer").start(this::drain);
    }

    /** Queues the record once its audit row is committed (with its seq) or has failed (without). Never blocks. */
    void submit(ModelCallRecord record, CompletableFuture<Long> auditRow) {
        awaitingAudit.incrementAndGet();
        auditRow.whenComplete((seq, failure) -> {
            queue.add(record.withAuditSeq(failure == null ? seq : null));
            awaitingAudit.decrementAndGet();
        });
    }

    private void drain() {
        List<ModelCallRecord> batch = new ArrayList<>(MAX_BATCH);
        // Awaiting is read before the queue: a record's callback queues it before it stops counting as awaiting.
        while (running || (awaitingAudit.get() > 0 && System.nanoTime() < stopDeadline) || !queue.isEmpty()) {
            try {
                ModelCallRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeWithRetries(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        int left = queue.size() + awaitingAudit.get();
        if (left > 0) {
            LOG.error("{} model-call record(s) were not written before shutdown.", left);
        }
    }

    private void writeWithRetries(List<ModelCallRecord> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                return;
            } catch (SQLException | RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("Could not write {} model-call record(s) (first {}): {}; they are lost, usage figures for that time"
                            + " are short.", batch.size(), batch.getFirst().id(), e.getMessage(), e);
                    return;
                }
                LOG.warn("Writing {} model-call record(s) failed (attempt {} of {}): {}", batch.size(), attempt, ATTEMPTS, e.getMessage());
                LockSupport.parkNanos(Duration.ofMillis(500L * attempt).toNanos());
            }
        }
    }

    private void write(List<ModelCallRecord> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (ModelCallRecord r : batch) {
                    insert.setObject(1, r.id());
                    insert.setObject(2, r.startedAt().atOffset(ZoneOffset.UTC));
                    insert.setObject(3, r.userId());
                    insert.setString(4, r.userEmail());
                    insert.setString(5, r.conversationId());
                    insert.setString(6, r.channel());
                    insert.setString(7, r.provider());
                    insert.setString(8, r.model());
                    insert.setInt(9, r.inputTokens());
                    insert.setInt(10, r.outputTokens());
                    insert.setBoolean(11, r.usageReported());
                    insert.setBigDecimal(12, r.cost());
                    insert.setInt(13, (int) Math.min(Integer.MAX_VALUE, r.latencyMillis()));
                    insert.setString(14, r.outcome());
                    insert.setString(15, r.error());
                    insert.setBytes(16, r.requestSha256());
                    insert.setBytes(17, r.outputSha256());
                    if (r.auditSeq() == null) {
                        insert.setNull(18, Types.BIGINT);
                    } else {
                        insert.setLong(18, r.auditSeq());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** True once {@link #stop()} has begun. */
    boolean stopping() {
        return !running;
    }

    /** Writes what is queued and what is still waiting for its audit row (for at most the audit commit timeout). */
    @PreDestroy
    void stop() throws InterruptedException {
        stopDeadline = System.nanoTime() + shutdownWait.toNanos();
        running = false;
        writer.join(shutdownWait.plusSeconds(10));
    }
}
