package io.gatehouse.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A budget month: a calendar month in the installation's time zone, so a budget in Berlin resets at midnight
 * Berlin time on the 1st, not at midnight UTC. {@code month} is the month's first day (the counters' key).
 */
record BudgetPeriod(LocalDate month, ZoneId zone, Instant resetsAt) {

    private static final DateTimeFormatter RESET_DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    static BudgetPeriod of(Instant now, ZoneId zone) {
        LocalDate first = LocalDate.ofInstant(now, zone).withDayOfMonth(1);
        return new BudgetPeriod(first, zone, first.plusMonths(1).atStartOfDay(zone).toInstant());
    }

    /** The first day of the next month: the day the budgets start afresh. */
    LocalDate resetsOn() {
        return month.plusMonths(1);
    }

    /** "1 December 2026 (Europe/Berlin)". */
    String resetText() {
        return RESET_DATE.format(resetsOn()) + " (" + zone.getId() + ")";
    }

    /** Whole seconds until the reset, at least 1 (a Retry-After of 0 would invite an immediate retry). */
    long secondsUntilReset(Instant now) {
        Duration left = Duration.between(now, resetsAt);
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** "2026-11". */
    String label() {
        return month.toString().substring(0, 7);
    }
}
