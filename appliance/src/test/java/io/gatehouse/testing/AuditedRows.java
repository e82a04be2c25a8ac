package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The audit trail as a test reads it (through the owner login), and two ways to make it refuse rows: for every
 * action (INSERT revoked from the application login), or only for some actions (a trigger), so a test can fail
 * exactly the row it is about while the rest of the request (a model call's own records, say) still works.
 */
public final class AuditedRows {

    private AuditedRows() {
    }

    /** One stored audit row; {@code details} parsed. */
    public record Row(long seq, UUID actorId, String actorEmail, String action, String outcome, String targetType, String targetId,
                      String connector, String ip, String userAgent, String requestId, JsonNode details) {

        public String detail(String name) {
            return details.path(name).asText(null);
        }

        /** The row came from this request: its request id is the one the portal echoed, and it has an address and a user agent. */
        public Row from(java.net.http.HttpResponse<String> response) {
            if (requestId == null || !requestId.equals(response.headers().firstValue("X-Request-Id").orElse(null))
                    || ip == null || ip.isBlank() || userAgent == null || userAgent.isBlank()) {
                throw new AssertionError("Audit row " + action + " does not carry the origin of its request (X-Request-Id "
                        + response.headers().firstValue("X-Request-Id").orElse(null) + "): " + this);
            }
            return this;
        }
    }

    /** The newest seq now: rows written later have a greater one. */
    public static long lastSeq(TestPortal portal) {
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(max(seq), 0) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows with this action written after {@code afterSeq}, oldest first. */
    public static List<Row> since(TestPortal portal, long afterSeq, String action) {
        try (Connection c = portal.sql(); PreparedStatement s = c.prepareStatement("select seq, actor_id, actor_email, action, outcome,"
                + " target_type, target_id, connector, ip, user_agent, request_id, details from audit_events where seq > ? and action = ?"
                + " order by seq")) {
            s.setLong(1, afterSeq);
            s.setString(2, action);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                            WebSession.parse(rs.getString(12))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one row with this action written after {@code afterSeq}; fails if there is none or more than one. */
    public static Row only(TestPortal portal, long afterSeq, String action) {
        List<Row> rows = since(portal, afterSeq, action);
        if (rows.size() != 1) {
            throw new AssertionError("Expected exactly one '" + action + "' audit row after seq " + afterSeq + ", found " + rows);
        }
        return rows.getFirst();
    }

    /** A user's id, for comparing with a row's actor. */
    public static UUID userId(TestPortal portal, String email) {
        try (Connection c = portal.sql(); PreparedStatement s = c.prepareStatement("select id from users where lower(email) = lower(?)")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("No user " + email);
                }
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until closed, the application login may not insert into the trail at all: every audited action is refused. */
    public static AutoCloseable refusingAll(TestPortal portal) throws SQLException {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
        }
        return () -> {
            try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        };
    }

    /** Until closed, rows with these actions cannot be inserted (a trigger raises), and so neither can their batch. */
    public static AutoCloseable refusing(TestPortal portal, String... actions) throws SQLException {
        String list = Stream.of(actions).map(a -> "'" + a.replace("'", "''") + "'").collect(Collectors.joining(", "));
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("create or replace function audit_test_refuse() returns trigger language plpgsql as $$"
                    + " begin raise exception 'audit row refused by the test'; end $$");
            s.execute("create trigger audit_test_refuse before insert on audit_events for each row when (new.action in (" + list + "))"
                    + " execute function audit_test_refuse()");
        }
        return () -> {
            try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
                s.execute("drop trigger audit_test_refuse on audit_events");
                s.execute("drop function audit_test_refuse()");
            }
        };
    }
}
