package io.gatehouse.usage;

import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.ModelCallMeter;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What the usage dashboard asks for: whole days {@code from}..{@code to} (both included) in the installation's time
 * zone (this month by default; without an end, to the end of this month), optionally narrowed to one person (by email), one model and one outcome.
 */
record UsageQuery(LocalDate from, LocalDate to, ZoneId zone, @Nullable String user, @Nullable String model,
                  @Nullable String outcome) {

    /** A year and a day: the by-day series has a bar for every day, so the range is kept to what a chart can show. */
    static final int MAX_DAYS = 366;

    static UsageQuery parse(@Nullable String from, @Nullable String to, @Nullable String user, @Nullable String model,
                            @Nullable String outcome, ZoneId zone, Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        LocalDate start = from == null || from.isBlank() ? today.withDayOfMonth(1) : date(from, "from");
        LocalDate end = to == null || to.isBlank() ? endOfMonth(start.isAfter(today) ? start : today) : date(to, "to");
        if (end.isBefore(start)) {
            throw new GatehouseException.BadRequest("invalid-usage-range", "The end date " + end + " is before the start date "
                    + start + ".", "to");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw new GatehouseException.BadRequest("invalid-usage-range", "Choose at most " + MAX_DAYS
                    + " days at a time (asked for " + (ChronoUnit.DAYS.between(start, end) + 1) + ").", "to");
        }
        return new UsageQuery(start, end, zone, blankToNull(user), blankToNull(model), outcome(outcome));
    }

    private static LocalDate endOfMonth(LocalDate day) {
        return day.withDayOfMonth(day.lengthOfMonth());
    }

    /** The first instant of {@code from} in the zone. */
    Instant start() {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after {@code to} in the zone (exclusive end). */
    Instant end() {
        return to.plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new GatehouseException.BadRequest("invalid-usage-range", "'" + text + "' is not a date: use YYYY-MM-DD.", field);
        }
    }

    private static @Nullable String outcome(@Nullable String text) {
        String value = blankToNull(text);
        if (value == null) {
            return null;
        }
        try {
            return ModelCallMeter.Outcome.valueOf(value.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw new GatehouseException.BadRequest("invalid-usage-filter", "'" + value
                    + "' is not an outcome: use SUCCESS, FAILURE, STOPPED or NOT_SENT.", "outcome");
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
