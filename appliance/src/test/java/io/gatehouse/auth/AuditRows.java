package io.gatehouse.auth;

import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads the audit trail of a test portal as an admin would find it. The trail is written before the answer to the
 * request that caused it is sent, so a row is there as soon as the response is: no waiting needed. A portal-bound
 * view over {@link AuditedRows}, with the "never stored" checks the identity tests need.
 */
public final class AuditRows {

    private final TestPortal portal;

    public AuditRows(TestPortal portal) {
        this.portal = portal;
    }

    /** The seq of the newest row; rows written later have a higher one. */
    public long mark() {
        return AuditedRows.lastSeq(portal);
    }

    /** Rows with this action written after {@code mark}, oldest first. */
    public List<AuditedRows.Row> since(long mark, String action) {
        return AuditedRows.since(portal, mark, action);
    }

    /** The single row with this action written after {@code mark}. */
    public AuditedRows.Row only(long mark, String action) {
        return AuditedRows.only(portal, mark, action);
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

    /** Runs {@code body} while the portal's application login may not insert audit rows, then gives the right back. */
    public void whileUnwritable(Runnable body) {
        try (AutoCloseable refusing = AuditedRows.refusingAll(portal)) {
            body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
