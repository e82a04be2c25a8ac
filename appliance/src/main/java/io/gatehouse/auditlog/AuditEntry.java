package io.gatehouse.auditlog;

import io.micronaut.core.annotation.Nullable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One audit row as the search API and the exports show it: every stored column, {@code details} as the JSON text
 * exactly as it was hashed, the hashes in hex, so an auditor can recompute the chain from an export alone.
 */
record AuditEntry(long seq, Instant occurredAt, @Nullable UUID actorId, @Nullable String actorEmail, String action,
                  String outcome, @Nullable String targetType, @Nullable String targetId, @Nullable String connector,
                  @Nullable String ip, @Nullable String userAgent, @Nullable String requestId, String details,
                  String prevHash, String hash) {

    /** The field names, in column order: the CSV header and the JSON Lines keys. */
    static final List<String> FIELDS = List.of("seq", "occurredAt", "actorId", "actorEmail", "action", "outcome", "targetType",
            "targetId", "connector", "ip", "userAgent", "requestId", "details", "prevHash", "hash");

    /** The matching select list (the table's columns, copied from the audit package's reader). */
    static final String COLUMNS = "seq, occurred_at, actor_id, actor_email, action, outcome, target_type, target_id, connector,"
            + " ip, user_agent, request_id, details, prev_hash, hash";

    static AuditEntry read(ResultSet rs) throws SQLException {
        HexFormat hex = HexFormat.of();
        return new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), hex.formatHex(rs.getBytes(14)),
                hex.formatHex(rs.getBytes(15)));
    }

    /** The values in {@link #FIELDS} order, as text (null stays null), for the CSV. */
    List<String> values() {
        return Arrays.asList(Long.toString(seq), occurredAt.toString(), actorId == null ? null : actorId.toString(),
                actorEmail, action, outcome, targetType, targetId, connector, ip, userAgent, requestId, details, prevHash, hash);
    }

    /** Binds a filter's values ({@link AuditFilter#where}) from parameter 1 on; returns the next free index. */
    static int bind(PreparedStatement statement, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            statement.setObject(i++, p instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : p);
        }
        return i;
    }
}
