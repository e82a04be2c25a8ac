package io.gatehouse.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads {@code model_calls} for the usage dashboard: totals and sums by person, role, model and day for a range,
 * and the calls themselves, newest first. A person's calls count for each role they hold now (roles read from
 * {@code user_roles}; a role held both by hand and through an identity-provider group counts once).
 */
@Singleton
class UsageReport {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SUMS = "count(*), coalesce(sum(mc.input_tokens), 0), coalesce(sum(mc.output_tokens), 0),"
            + " coalesce(sum(mc.cost), 0)";

    private final DataSource dataSource;

    UsageReport(DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource);
    }

    /** Calls, tokens and cost of one group. */
    record Sums(long calls, long inputTokens, long outputTokens, long totalTokens, BigDecimal cost) {
    }

    record UserUsage(UUID userId, String email, long calls, long inputTokens, long outputTokens, long totalTokens, BigDecimal cost) {
    }

    record RoleUsage(UUID roleId, String role, long calls, long inputTokens, long outputTokens, long totalTokens, BigDecimal cost) {
    }

    record ModelUsage(String model, String provider, long calls, long inputTokens, long outputTokens, long totalTokens, BigDecimal cost) {
    }

    record DayUsage(LocalDate day, long calls, long inputTokens, long outputTokens, long totalTokens, BigDecimal cost) {
    }

    record Filters(@Nullable String user, @Nullable String model, @Nullable String outcome) {
    }

    record Summary(LocalDate from, LocalDate to, String timeZone, Filters filters, Sums totals, long failures,
                   List<UserUsage> byUser, List<RoleUsage> byRole, List<ModelUsage> byModel, List<DayUsage> byDay) {
    }

    /** One call as the list shows it; fingerprints in hex. */
    record CallView(UUID id, OffsetDateTime startedAt, UUID userId, String email, @Nullable String conversationId, String channel,
                    String provider, String model, int inputTokens, int outputTokens, boolean usageReported, BigDecimal cost,
                    int latencyMs, String outcome, @Nullable String error, @Nullable String requestSha256,
                    @Nullable String outputSha256, @Nullable Long auditSeq) {
    }

    record CallPage(List<CallView> items, int page, int size, long total) {
    }

    Summary summary(UsageQuery q) {
        try (Connection c = dataSource.getConnection()) {
            Where where = where(q);
            Sums totals;
            long failures;
            try (ResultSet rs = query(c, "select " + SUMS + ", count(*) filter (where mc.outcome <> 'SUCCESS')"
                    + " from model_calls mc" + where.sql(), where.args())) {
                rs.next();
                totals = sums(rs, 1);
                failures = rs.getLong(5);
            }
            List<UserUsage> byUser = new ArrayList<>();
            try (ResultSet rs = query(c, "select mc.user_id, coalesce(u.email, max(mc.user_email)), " + SUMS
                    + " from model_calls mc left join users u on u.id = mc.user_id" + where.sql()
                    + " group by mc.user_id, u.email order by sum(mc.cost) desc, sum(mc.input_tokens + mc.output_tokens) desc, 2", where.args())) {
                while (rs.next()) {
                    Sums s = sums(rs, 3);
                    byUser.add(new UserUsage(rs.getObject(1, UUID.class), rs.getString(2), s.calls(), s.inputTokens(), s.outputTokens(),
                            s.totalTokens(), s.cost()));
                }
            }
            List<RoleUsage> byRole = new ArrayList<>();
            try (ResultSet rs = query(c, "select r.id, r.name, " + SUMS + " from model_calls mc"
                    + " join (select distinct user_id, role_id from user_roles) ur on ur.user_id = mc.user_id"
                    + " join roles r on r.id = ur.role_id" + where.sql()
                    + " group by r.id, r.name order by sum(mc.cost) desc, sum(mc.input_tokens + mc.output_tokens) desc, r.name", where.args())) {
                while (rs.next()) {
                    Sums s = sums(rs, 3);
                    byRole.add(new RoleUsage(rs.getObject(1, UUID.class), rs.getString(2), s.calls(), s.inputTokens(), s.outputTokens(),
                            s.totalTokens(), s.cost()));
                }
            }
            List<ModelUsage> byModel = new ArrayList<>();
            try (ResultSet rs = query(c, "select mc.model, mc.provider, " + SUMS + " from model_calls mc" + where.sql()
                    + " group by mc.model, mc.provider order by sum(mc.cost) desc, sum(mc.input_tokens + mc.output_tokens) desc, 1, 2",
                    where.args())) {
                while (rs.next()) {
                    Sums s = sums(rs, 3);
                    byModel.add(new ModelUsage(rs.getString(1), rs.getString(2), s.calls(), s.inputTokens(), s.outputTokens(),
                            s.totalTokens(), s.cost()));
                }
            }
            Map<LocalDate, Sums> days = new LinkedHashMap<>();
            List<Object> dayArgs = new ArrayList<>();
            dayArgs.add(q.zone().getId());
            dayArgs.addAll(where.args());
            try (ResultSet rs = query(c, "select (mc.started_at at time zone ?)::date as day, " + SUMS + " from model_calls mc"
                    + where.sql() + " group by 1", dayArgs)) {
                while (rs.next()) {
                    days.put(rs.getObject(1, LocalDate.class), sums(rs, 2));
                }
            }
            // Every day of the range, quiet days as zeros, so the chart's axis is the calendar.
            List<DayUsage> byDay = new ArrayList<>();
            for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
                Sums s = days.getOrDefault(d, new Sums(0, 0, 0, 0, BigDecimal.ZERO));
                byDay.add(new DayUsage(d, s.calls(), s.inputTokens(), s.outputTokens(), s.totalTokens(), s.cost()));
            }
            return new Summary(q.from(), q.to(), q.zone().getId(), new Filters(q.user(), q.model(), q.outcome()), totals, failures,
                    byUser, byRole, byModel, byDay);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage: " + e.getMessage(), e);
        }
    }

    CallPage calls(UsageQuery q, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            Where where = where(q);
            long total;
            try (ResultSet rs = query(c, "select count(*) from model_calls mc" + where.sql(), where.args())) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Object> args = new ArrayList<>(where.args());
            args.add(size);
            args.add((long) page * size);
            List<CallView> items = new ArrayList<>();
            try (ResultSet rs = query(c, "select mc.id, mc.started_at, mc.user_id, mc.user_email, mc.conversation_id, mc.channel,"
                    + " mc.provider, mc.model, mc.input_tokens, mc.output_tokens, mc.usage_reported, mc.cost, mc.latency_ms, mc.outcome,"
                    + " mc.error, mc.request_sha256, mc.output_sha256, mc.audit_seq from model_calls mc" + where.sql()
                    + " order by mc.started_at desc, mc.id desc limit ? offset ?", args)) {
                while (rs.next()) {
                    items.add(new CallView(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                            rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getInt(9), rs.getInt(10), rs.getBoolean(11), rs.getBigDecimal(12), rs.getInt(13), rs.getString(14),
                            rs.getString(15), hex(rs.getBytes(16)), hex(rs.getBytes(17)), rs.getObject(18, Long.class)));
                }
            }
            return new CallPage(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read model calls: " + e.getMessage(), e);
        }
    }

    private record Where(String sql, List<Object> args) {
    }

    /** The range and filters as a WHERE clause over {@code model_calls mc}; every value a bound parameter. */
    private static Where where(UsageQuery q) {
        StringBuilder sql = new StringBuilder(" where mc.started_at >= ? and mc.started_at < ?");
        List<Object> args = new ArrayList<>(List.of(q.start().atOffset(ZoneOffset.UTC), q.end().atOffset(ZoneOffset.UTC)));
        if (q.user() != null) {
            sql.append(" and lower(mc.user_email) = lower(?)");
            args.add(q.user());
        }
        if (q.model() != null) {
            sql.append(" and mc.model = ?");
            args.add(q.model());
        }
        if (q.outcome() != null) {
            sql.append(" and mc.outcome = ?");
            args.add(q.outcome());
        }
        return new Where(sql.toString(), args);
    }

    private static ResultSet query(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
        statement.closeOnCompletion();
        return statement.executeQuery();
    }

    private static Sums sums(ResultSet rs, int first) throws SQLException {
        long in = rs.getLong(first + 1);
        long out = rs.getLong(first + 2);
        return new Sums(rs.getLong(first), in, out, in + out, rs.getBigDecimal(first + 3));
    }

    private static @Nullable String hex(byte @Nullable [] bytes) {
        return bytes == null ? null : HEX.formatHex(bytes);
    }
}
