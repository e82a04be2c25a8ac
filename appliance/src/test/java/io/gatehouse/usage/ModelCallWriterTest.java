package io.gatehouse.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.micronaut.jdbc.DataSourceResolver;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The record writer batches off the request path and, on an orderly shutdown, loses nothing it was handed. */
class ModelCallWriterTest {

    static TestPortal portal;
    static PGSimpleDataSource database;

    @BeforeAll
    static void start() throws SQLException {
        portal = TestPortal.start(); // for a migrated database of its own
        database = new PGSimpleDataSource();
        try (Connection c = portal.sql()) {
            database.setURL(c.getMetaData().getURL());
        }
        database.setUser(SharedPostgres.server().user());
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void recordsWhoseAuditRowSettlesDuringShutdownAreStillWritten() throws Exception {
        ModelCallWriter writer = new ModelCallWriter(database, DataSourceResolver.DEFAULT, Duration.ofSeconds(30));
        String run = UUID.randomUUID().toString();
        List<CompletableFuture<Long>> auditRows = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            CompletableFuture<Long> auditRow = new CompletableFuture<>();
            auditRows.add(auditRow);
            writer.submit(record(run), auditRow);
        }
        for (int i = 0; i < 400; i++) {
            auditRows.get(i).complete((long) i + 1);
        }

        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                writer.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(writer::stopping);
        // These audit rows settle only after shutdown began: committed, or failed (then the record has no seq).
        for (int i = 400; i < 1200; i++) {
            if (i % 2 == 0) {
                auditRows.get(i).complete((long) i + 1);
            } else {
                auditRows.get(i).completeExceptionally(new IllegalStateException("audit trail stopped"));
            }
        }
        stopper.join();

        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(audit_seq), count(distinct audit_seq) from model_calls"
                     + " where conversation_id = '" + run + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1200);
            assertThat(rs.getInt(2)).isEqualTo(400 + 400);
            assertThat(rs.getInt(3)).isEqualTo(800);
        }
    }

    private static ModelCallRecord record(String conversation) {
        return new ModelCallRecord(UUID.randomUUID(), Instant.parse("2026-11-25T09:00:00Z"), UUID.randomUUID(), "someone@example.test",
                conversation, "API", "Scripted", "m", 10, 5, true, new BigDecimal("0.00001"), 12, "SUCCESS", null,
                new byte[32], new byte[32], null);
    }
}
