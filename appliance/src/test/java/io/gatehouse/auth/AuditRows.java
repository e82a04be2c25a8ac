package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads the audit trail of a test portal as an admin would find it. The trail is written before the answer to the
 * request that caused it is sent, so a row is there as soon as the response is: no waiting needed.
 */
public final class AuditRows {

    /** One stored row; {@code details} parsed. */
    public record Row(long seq, UUID actorId, String actorEmail, String action, String outcome, String targetType, String targetId,
                      String ip, String userAgent, String requestId, JsonNode details) {

        public String detail(String name) {
            return details.path(name).asText(null);
        }

        /** The row came from this request: its request id is the one the portal echoed, and it has an address and a user agent. */
        public Row from(HttpResponse<String> response) {
            assertThat(requestId).as("request id of %s", action).isNotBlank()
                    .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(ip).as("ip of %s", action).isNotBlank();
            assertThat(userAgent).as("user agent of %s", action).isNotBlank();
            return this;
        }
    }

    private final TestPortal portal;

    public AuditRows(TestPortal portal) {
        this.portal = portal;
    }

    /** The seq of the newest row; rows written later have a higher one. */
    public long mark() {
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(max(seq), 0) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows with this action written after {@code mark}, oldest first. */
    public List<Row> since(long mark, String action) {
        List<Row> rows = new ArrayList<>();
        try (Connection c = portal.sql();
             PreparedStatement q = c.prepareStatement("select * from audit_events where seq > ? and action = ? order by seq")) {
            q.setLong(1, mark);
            q.setString(2, action);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong("seq"), rs.getObject("actor_id", UUID.class), rs.getString("actor_email"),
                            rs.getString("action"), rs.getString("outcome"), rs.getString("target_type"), rs.getString("target_id"),
                            rs.getString("ip"), rs.getString("user_agent"), rs.getString("request_id"),
                            WebSession.parse(rs.getString("details"))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** The single row with this action written after {@code mark}. */
    public Row only(long mark, String action) {
        List<Row> rows = since(mark, action);
        assertThat(rows).as("%s rows since seq %d", action, mark).hasSize(1);
        return rows.getFirst();
    }

    /** How many rows anywhere in the trail hold this text in any column: for "never stored" checks. */
    public long containing(String text) {
        return containing(0, text);
    }

    /** The same, among the rows written after {@code mark} (for short values that could turn up by chance in a long trail's hashes). */
    public long containing(long mark, String text) {
        try (Connection c = portal.sql();
             PreparedStatement q = c.prepareStatement("select count(*) from audit_events e where seq > ? and strpos(e::text, ?) > 0")) {
            q.setLong(1, mark);
            q.setString(2, text);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code body} while the portal's application login may not insert audit rows (as when the audit table is
     * unwritable), then gives the right back.
     */
    public void whileUnwritable(Runnable body) {
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            String app;
            try (Connection c = portal.sqlAsApplication()) {
                app = c.getMetaData().getUserName();
            }
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                body.run();
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
