package io.gatehouse.auditlog;

import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through the audit trail newest first. Keyset paging on {@code seq} ({@code before}): a page is found by
 * the primary key whatever its depth, and rows appended meanwhile never shift the pages an admin is reading.
 */
@Singleton
final class AuditSearch {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSearch.class);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final DataSource dataSource;

    AuditSearch(DataSource dataSource, DataSourceResolver resolver) {
        // The pool itself: these are plain reads, outside any Micronaut Data transaction.
        this.dataSource = resolver.resolve(dataSource);
    }

    /** One page: the rows, and the {@code before} of the next (older) page, null on the last one. */
    record Page(List<AuditEntry> items, @Nullable Long nextBefore) {
    }

    Page page(AuditFilter filter, @Nullable Long before, int limit) {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        if (before != null) {
            where += (where.isEmpty() ? " where " : " and ") + "seq < ?";
            params.add(before);
        }
        String sql = "select " + AuditEntry.COLUMNS + " from audit_events" + where + " order by seq desc limit ?";
        List<AuditEntry> items = new ArrayList<>(Math.min(limit + 1, 64));
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            int next = AuditEntry.bind(select, params);
            select.setInt(next, limit + 1); // one more than asked tells whether an older page exists
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(AuditEntry.read(rs));
                }
            }
        } catch (SQLException e) {
            LOG.warn("Could not search the audit trail: {}", e.getMessage());
            throw new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, "audit-unreadable",
                    "The audit trail could not be read just now; try again in a moment. The portal log has the cause.");
        }
        if (items.size() <= limit) {
            return new Page(items, null);
        }
        List<AuditEntry> shown = List.copyOf(items.subList(0, limit));
        return new Page(shown, shown.getLast().seq());
    }

    /** The {@code before} and {@code limit} query values, checked like the filters. */
    static @Nullable Long before(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long before = Long.parseLong(value.strip());
            if (before > 0) {
                return before;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new GatehouseException.BadRequest("invalid-audit-filter", "before is the seq of a row (a positive whole number),"
                + " as nextBefore gives it.", "before");
    }

    static int limit(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new GatehouseException.BadRequest("invalid-audit-filter", "limit is a number of rows from 1 to " + MAX_LIMIT
                + " (for more, use the export).", "limit");
    }
}
