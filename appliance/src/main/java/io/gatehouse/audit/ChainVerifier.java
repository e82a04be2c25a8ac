package io.gatehouse.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Walks the audit chain in order and reports the first row that does not fit: a changed row (its hash no longer
 * matches its content), a removed or inserted row (a gap in seq, or a prev_hash that is not the hash before it).
 * Starts from the last archival's anchor when older rows were archived. Streams, so any length fits in memory.
 */
@Singleton
public class ChainVerifier {

    private static final int FETCH = 2_000;
    private final DataSource dataSource;
    private final Clock clock;
    private volatile Verification last;

    ChainVerifier(DataSource dataSource, DataSourceResolver resolver, Clock clock) {
        this.dataSource = resolver.resolve(dataSource);
        this.clock = clock;
    }

    /**
     * The result: {@code intact}, how many rows were checked, the last seq seen and, when broken, the first bad
     * row's seq and what is wrong with it.
     */
    public record Verification(boolean intact, long rowsChecked, long lastSeq, @Nullable Long firstBrokenSeq,
                               @Nullable String problem, Instant checkedAt) {
    }

    /** The last verification this node ran, or null. */
    public @Nullable Verification lastResult() {
        return last;
    }

    public Verification verify() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams a result set with a fetch size only inside a transaction
            c.setReadOnly(true);
            // One snapshot for the anchor and the rows: an archival committing mid-walk must not look like a gap.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long expectedSeq;
            byte[] prev;
            try (PreparedStatement anchor = c.prepareStatement("select last_seq, last_hash from audit_archives order by last_seq desc limit 1");
                 ResultSet rs = anchor.executeQuery()) {
                expectedSeq = rs.next() ? rs.getLong(1) + 1 : 1;
                prev = expectedSeq == 1 ? AuditChain.GENESIS : rs.getBytes(2);
            }
            long checked = 0;
            Verification result = null;
            try (PreparedStatement rows = c.prepareStatement("select seq, occurred_at, actor_id, actor_email, action, outcome, target_type,"
                    + " target_id, connector, ip, user_agent, request_id, details, prev_hash, hash from audit_events order by seq")) {
                rows.setFetchSize(FETCH);
                try (ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        AuditRecord row = read(rs);
                        String problem = null;
                        if (row.seq() != expectedSeq) {
                            problem = row.seq() > expectedSeq + 1 ? "rows " + expectedSeq + " to " + (row.seq() - 1) + " before it are missing"
                                    : row.seq() > expectedSeq ? "row " + expectedSeq + " before it is missing"
                                    : "the sequence goes back (" + row.seq() + " after " + (expectedSeq - 1) + ")";
                        } else if (!Arrays.equals(row.prevHash(), prev)) {
                            problem = "its previous-row hash does not match the row before it (a row before it was changed, removed or inserted)";
                        } else if (!Arrays.equals(AuditChain.hash(prev, row), row.hash())) {
                            problem = "its content does not match its hash (the row was changed)";
                        }
                        if (problem != null) {
                            result = new Verification(false, checked, row.seq(), row.seq(), "Row " + row.seq() + ": " + problem + ".",
                                    clock.instant());
                            break;
                        }
                        checked++;
                        prev = row.hash();
                        expectedSeq++;
                    }
                }
            }
            c.rollback();
            if (result == null) {
                result = new Verification(true, checked, expectedSeq - 1, null, null, clock.instant());
            }
            last = result;
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the audit trail to verify it: " + e.getMessage(), e);
        }
    }

    static AuditRecord read(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getObject("actor_id", UUID.class), rs.getString("actor_email"), rs.getString("action"), rs.getString("outcome"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("connector"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("request_id"), rs.getString("details"), rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }

    /** For messages and exports. */
    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
