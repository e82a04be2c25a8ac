package io.gatehouse.budget;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget counters in PostgreSQL, shared by every portal node: reserve before a call, settle after it.
 *
 * <p>Reserve is one short transaction: a transaction-scoped advisory lock per limited counter (taken in one global
 * order, so two calls never deadlock), one statement reading settled usage plus live reservations (one snapshot, so
 * a call settling at that moment is counted exactly once), and, if every limit still holds, the reservation row.
 * Two calls on the same counter therefore check one after the other, on any node, and cannot both take the last
 * tokens. Settle deletes the reservation and adds the actual usage in one transaction, so a concurrent check sees
 * either the one or the other.
 */
@Singleton
class BudgetLedger {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetLedger.class);

    private final DataSource dataSource;
    private final Clock clock;

    BudgetLedger(DataSource dataSource, DataSourceResolver resolver, Clock clock) {
        // The pool itself, not Micronaut Data's connection-bound proxy: these are transactions of their own.
        this.dataSource = resolver.resolve(dataSource);
        this.clock = clock;
    }

    /** Settled usage and what calls in flight have reserved, of one counter in one month. */
    record Used(long settledTokens, BigDecimal settledCost, long reservedTokens, BigDecimal reservedCost) {

        static final Used NONE = new Used(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

        long tokens() {
            return settledTokens + reservedTokens;
        }

        BigDecimal cost() {
            return settledCost.add(reservedCost);
        }

        BigDecimal of(Limit.Measure measure) {
            return measure == Limit.Measure.TOKENS ? BigDecimal.valueOf(tokens()) : cost();
        }
    }

    /** The outcome of a reservation. */
    sealed interface Reservation {
    }

    record Reserved(UUID id) implements Reservation {
    }

    /** The first limit (in the order given) the call would break: what is used of it, and what the call needs. */
    record Exceeded(Limit limit, BigDecimal used, BigDecimal needed) implements Reservation {
    }

    /** Checks every limit and reserves {@code tokens}/{@code cost} against all of them, or none when one would be exceeded. */
    Reservation reserve(LocalDate month, UUID userId, String model, long tokens, BigDecimal cost, List<Limit> limits,
                        Instant expiresAt) {
        List<Counter> counters = limits.stream().map(Limit::counter).distinct().toList();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> keys = counters.stream().map(counter -> counter.lockKey(month)).distinct().sorted(Comparator.naturalOrder()).toList();
                for (long key : keys) {
                    try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, key);
                        lock.execute();
                    }
                }
                Map<Counter, Used> used = read(c, month, counters, clock.instant());
                for (Limit limit : limits) {
                    BigDecimal needed = limit.measure() == Limit.Measure.TOKENS ? BigDecimal.valueOf(tokens) : cost;
                    BigDecimal now = used.get(limit.counter()).of(limit.measure());
                    if (now.add(needed).compareTo(limit.amount()) > 0) {
                        c.rollback();
                        return new Exceeded(limit, now, needed);
                    }
                }
                UUID id = UUID.randomUUID();
                try (PreparedStatement insert = c.prepareStatement("""
                        insert into budget_reservations (id, month, user_id, model, tokens, cost, reserved_at, expires_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setObject(1, id);
                    insert.setObject(2, month);
                    insert.setObject(3, userId);
                    insert.setString(4, model);
                    insert.setLong(5, tokens);
                    insert.setBigDecimal(6, cost);
                    insert.setObject(7, clock.instant().atOffset(ZoneOffset.UTC));
                    insert.setObject(8, expiresAt.atOffset(ZoneOffset.UTC));
                    insert.executeUpdate();
                }
                c.commit();
                return new Reserved(id);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the budget: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the reservation (if any; it may have expired) by what the call used, counted for the person under
     * the model and under all models. The month is the call's, even if it ends after midnight on the 1st.
     */
    void settle(@Nullable UUID reservationId, LocalDate month, UUID userId, String model, long tokens, BigDecimal cost) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (reservationId != null) {
                    try (PreparedStatement delete = c.prepareStatement("delete from budget_reservations where id = ?")) {
                        delete.setObject(1, reservationId);
                        delete.executeUpdate();
                    }
                }
                if (tokens > 0 || cost.signum() > 0) {
                    // '*' first, then the model: every settle locks a person's rows in the same order.
                    try (PreparedStatement add = c.prepareStatement("""
                            insert into budget_usage (month, user_id, model, tokens, cost) values (?, ?, '*', ?, ?), (?, ?, ?, ?, ?)
                            on conflict (month, user_id, model) do update
                            set tokens = budget_usage.tokens + excluded.tokens, cost = budget_usage.cost + excluded.cost""")) {
                        add.setObject(1, month);
                        add.setObject(2, userId);
                        add.setLong(3, tokens);
                        add.setBigDecimal(4, cost);
                        add.setObject(5, month);
                        add.setObject(6, userId);
                        add.setString(7, model);
                        add.setLong(8, tokens);
                        add.setBigDecimal(9, cost);
                        add.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not settle the budget: " + e.getMessage(), e);
        }
    }

    /** What is used of these counters this month, for views (no locks: a moment's snapshot). */
    Map<Counter, Used> used(LocalDate month, Collection<Counter> counters) {
        if (counters.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return read(c, month, List.copyOf(new LinkedHashSet<>(counters)), clock.instant());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read budget usage: " + e.getMessage(), e);
        }
    }

    /** One statement for all counters, so settled usage and reservations come from one snapshot. */
    private static Map<Counter, Used> read(Connection c, LocalDate month, List<Counter> counters, Instant now) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            parts.add("select " + i + " as i, s.tokens as settled_tokens, s.cost as settled_cost, r.tokens as reserved_tokens,"
                    + " r.cost as reserved_cost"
                    + " from (select coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost from budget_usage"
                    + " where month = ? and model = ?" + (counter.everyone() ? "" : " and user_id = ?") + ") s,"
                    + " (select coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost from budget_reservations"
                    + " where month = ? and expires_at > ?" + (counter.everyone() ? "" : " and user_id = ?")
                    + (counter.allModels() ? "" : " and model = ?") + ") r");
        }
        Map<Counter, Used> used = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement(String.join(" union all ", parts))) {
            int p = 1;
            for (Counter counter : counters) {
                select.setObject(p++, month);
                select.setString(p++, counter.model());
                if (!counter.everyone()) {
                    select.setObject(p++, counter.userId());
                }
                select.setObject(p++, month);
                select.setObject(p++, now.atOffset(ZoneOffset.UTC));
                if (!counter.everyone()) {
                    select.setObject(p++, counter.userId());
                }
                if (!counter.allModels()) {
                    select.setString(p++, counter.model());
                }
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    used.put(counters.get(rs.getInt("i")), new Used(rs.getBigDecimal("settled_tokens").longValueExact(),
                            rs.getBigDecimal("settled_cost"), rs.getBigDecimal("reserved_tokens").longValueExact(),
                            rs.getBigDecimal("reserved_cost")));
                }
            }
        }
        return used;
    }

    /** Reservations long past their expiry count for nothing; removing them keeps the table small. */
    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    void purgeExpired() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("delete from budget_reservations where expires_at < ?")) {
            delete.setObject(1, clock.instant().minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
            int removed = delete.executeUpdate();
            if (removed > 0) {
                LOG.info("Removed {} expired budget reservation(s) left by calls that never settled", removed);
            }
        } catch (SQLException e) {
            LOG.warn("Could not remove expired budget reservations: {}", e.getMessage());
        }
    }
}
