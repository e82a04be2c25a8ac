package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The SIEM tables ({@code siem_settings}, {@code siem_cursor}) and the audit rows to ship. Every method borrows a
 * connection for one short statement and returns it, so the shipper never holds one while it waits on a collector.
 */
@Singleton
class SiemStore {

    private static final String SETTINGS_COLUMNS = "s.enabled, s.transport, s.url, s.host, s.port, s.batch_size,"
            + " s.authorization_cipher, s.updated_by, s.updated_by_email, s.updated_at";

    private static final int MAX_ERROR = 500;
    private final DataSource dataSource;

    SiemStore(DataSource dataSource, DataSourceResolver resolver) {
        // The pool itself: each call here is its own short transaction (autocommit), never part of a request's.
        this.dataSource = resolver.resolve(dataSource);
    }

    /** How far the collector has acknowledged, and how delivery went. */
    record Cursor(long lastSeq, long delivered, @Nullable Instant lastSuccessAt, @Nullable String lastError,
                  @Nullable Instant lastErrorAt, int failures, @Nullable String leaseOwner, boolean leaseLive) {
    }

    /** The settings and cursor as one statement saw them. */
    record Snapshot(SiemSettings settings, Cursor cursor) {
    }

    /** The newest and oldest audit rows' seq (0 and 1 when there are none). */
    record Head(long newestSeq, long oldestSeq) {
    }

    Snapshot snapshot() {
        return query("select " + SETTINGS_COLUMNS + ", c.last_seq, c.delivered, c.last_success_at, c.last_error, c.last_error_at,"
                + " c.failures, c.lease_owner, coalesce(c.lease_until > clock_timestamp(), false) as lease_live"
                + " from siem_settings s cross join siem_cursor c where s.id = 1 and c.id = 1", ps -> { }, rs -> {
                    rs.next();
                    return new Snapshot(settings(rs), new Cursor(rs.getLong("last_seq"), rs.getLong("delivered"),
                            instant(rs, "last_success_at"), rs.getString("last_error"), instant(rs, "last_error_at"),
                            rs.getInt("failures"), rs.getString("lease_owner"), rs.getBoolean("lease_live")));
                });
    }

    SiemSettings settings() {
        return snapshot().settings();
    }

    void save(SiemSettings s) {
        update("update siem_settings set enabled = ?, transport = ?, url = ?, host = ?, port = ?, batch_size = ?,"
                + " authorization_cipher = ?, updated_by = ?, updated_by_email = ?, updated_at = ? where id = 1", ps -> {
                    ps.setBoolean(1, s.enabled());
                    ps.setString(2, s.transport().name());
                    ps.setString(3, s.url() == null ? null : s.url().toString());
                    ps.setString(4, s.host());
                    ps.setObject(5, s.port(), Types.INTEGER);
                    ps.setInt(6, s.batchSize());
                    ps.setBytes(7, s.authorizationCipher());
                    ps.setObject(8, s.updatedBy(), Types.OTHER);
                    ps.setString(9, s.updatedByEmail());
                    ps.setObject(10, s.updatedAt().atOffset(ZoneOffset.UTC));
                });
    }

    /**
     * Takes or renews the shipping lease for {@code node} if the export is enabled and no other node holds a live
     * lease, and returns the settings and cursor as of that same statement; empty when this node must not ship.
     * Database time decides expiry, so nodes with different clocks agree.
     */
    Optional<Snapshot> claim(String node, Duration lease) {
        return query("update siem_cursor c set lease_owner = ?, lease_until = clock_timestamp() + make_interval(secs => ?)"
                + " from siem_settings s where c.id = 1 and s.id = 1 and s.enabled"
                + " and (c.lease_owner is null or c.lease_owner = ? or c.lease_until < clock_timestamp())"
                + " returning " + SETTINGS_COLUMNS + ", c.last_seq, c.delivered, c.failures", ps -> {
                    ps.setString(1, node);
                    ps.setDouble(2, lease.toMillis() / 1000.0);
                    ps.setString(3, node);
                }, rs -> rs.next() ? Optional.of(new Snapshot(settings(rs), new Cursor(rs.getLong("last_seq"), rs.getLong("delivered"),
                        null, null, null, rs.getInt("failures"), node, true))) : Optional.empty());
    }

    /** Gives the lease up (at shutdown) so another node takes over at its next round instead of after expiry. */
    void release(String node) {
        update("update siem_cursor set lease_owner = null, lease_until = null where id = 1 and lease_owner = ?",
                ps -> ps.setString(1, node));
    }

    /**
     * Moves the cursor from {@code from} to {@code to} after the collector acknowledged. Conditional on the cursor
     * still being at {@code from}: false when another node moved it meanwhile (it shipped the same rows).
     */
    boolean advance(long from, long to, int count, Instant at) {
        return update("update siem_cursor set last_seq = ?, delivered = delivered + ?, last_success_at = ?, failures = 0"
                + " where id = 1 and last_seq = ?", ps -> {
                    ps.setLong(1, to);
                    ps.setLong(2, count);
                    ps.setObject(3, at.atOffset(ZoneOffset.UTC));
                    ps.setLong(4, from);
                }) == 1;
    }

    /** Notes a failed delivery; returns how many failed in a row, for the backoff. */
    int failed(String error, Instant at) {
        String shown = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "..." : error;
        return query("update siem_cursor set last_error = ?, last_error_at = ?, failures = failures + 1 where id = 1 returning failures",
                ps -> {
                    ps.setString(1, shown);
                    ps.setObject(2, at.atOffset(ZoneOffset.UTC));
                }, rs -> rs.next() ? rs.getInt(1) : 1);
    }

    /**
     * The next rows after {@code seq}, in order. Reading {@code seq > cursor} misses nothing: the audit writer
     * assigns seq and commits under one transaction-scoped lock, and PostgreSQL makes a commit visible before it
     * releases the locks, so the committed rows are always a prefix of the chain.
     */
    List<AuditRecord> after(long seq, int limit) {
        return query("select seq, occurred_at, actor_id, actor_email, action, outcome, target_type, target_id, connector, ip,"
                + " user_agent, request_id, details, prev_hash, hash from audit_events where seq > ? order by seq limit ?", ps -> {
                    ps.setLong(1, seq);
                    ps.setInt(2, limit);
                }, rs -> {
                    List<AuditRecord> rows = new ArrayList<>(limit);
                    while (rs.next()) {
                        rows.add(new AuditRecord(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("actor_id", UUID.class), rs.getString("actor_email"), rs.getString("action"),
                                rs.getString("outcome"), rs.getString("target_type"), rs.getString("target_id"), rs.getString("connector"),
                                rs.getString("ip"), rs.getString("user_agent"), rs.getString("request_id"), rs.getString("details"),
                                rs.getBytes("prev_hash"), rs.getBytes("hash")));
                    }
                    return rows;
                });
    }

    /** One committed row. */
    Optional<AuditRecord> row(long seq) {
        List<AuditRecord> rows = after(seq - 1, 1);
        return rows.isEmpty() || rows.getFirst().seq() != seq ? Optional.empty() : Optional.of(rows.getFirst());
    }

    Head head() {
        return query("select coalesce(max(seq), 0), coalesce(min(seq), 1) from audit_events", ps -> { },
                rs -> {
                    rs.next();
                    return new Head(rs.getLong(1), rs.getLong(2));
                });
    }

    private static SiemSettings settings(ResultSet rs) throws SQLException {
        String url = rs.getString("url");
        Integer port = rs.getObject("port", Integer.class);
        return new SiemSettings(rs.getBoolean("enabled"), Transport.valueOf(rs.getString("transport")),
                url == null ? null : URI.create(url), rs.getString("host"), port, rs.getInt("batch_size"),
                rs.getBytes("authorization_cipher"), rs.getObject("updated_by", UUID.class), rs.getString("updated_by_email"),
                instant(rs, "updated_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SIEM export: database access failed: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("SIEM export: database access failed: " + e.getMessage(), e);
        }
    }
}
