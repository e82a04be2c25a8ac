package io.gatehouse.auditlog;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which audit rows an admin asks for: actor (part of an email, or a user id), action (exact, or a prefix ending in
 * a dot such as {@code auth.}), connector, outcome and a time range {@code from <= occurred_at < to}. Parsed once
 * from the query string; every bad value is a 400 naming its field. The SQL it makes binds every value.
 */
record AuditFilter(@Nullable String actor, @Nullable UUID actorId, @Nullable String action, boolean actionPrefix,
                   @Nullable String connector, AuditEvent.@Nullable Outcome outcome, @Nullable Instant from, @Nullable Instant to) {

    static final AuditFilter NONE = new AuditFilter(null, null, null, false, null, null, null, null);
    private static final int MAX_TEXT = 320;
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");

    /** The query-string values as given (null or blank: no filter); times in the installation's zone unless they say. */
    static AuditFilter parse(@Nullable String actor, @Nullable String action, @Nullable String connector,
                             @Nullable String outcome, @Nullable String from, @Nullable String to, ZoneId zone) {
        actor = text(actor, "actor");
        UUID actorId = null;
        if (actor != null) {
            try {
                actorId = UUID.fromString(actor);
            } catch (IllegalArgumentException notAnId) {
                // an email or a part of one
            }
        }
        action = text(action, "action");
        boolean prefix = false;
        if (action != null) {
            action = action.toLowerCase(Locale.ROOT);
            if (action.endsWith(".*")) {
                action = action.substring(0, action.length() - 1);
            }
            if (!ACTION.matcher(action).matches()) {
                throw new GatehouseException.BadRequest("invalid-audit-filter", "The action is a dotted lower-case name such as"
                        + " auth.sign_in, or a prefix ending in a dot such as auth. for every sign-in event.", "action");
            }
            prefix = action.endsWith(".");
        }
        connector = text(connector, "connector");
        AuditEvent.Outcome parsedOutcome = null;
        String outcomeText = text(outcome, "outcome");
        if (outcomeText != null) {
            try {
                parsedOutcome = AuditEvent.Outcome.valueOf(outcomeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GatehouseException.BadRequest("invalid-audit-filter", "The outcome is SUCCESS, DENIED or FAILURE.", "outcome");
            }
        }
        Instant start = time(from, "from", zone, false);
        Instant end = time(to, "to", zone, true);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new GatehouseException.BadRequest("invalid-audit-filter", "The end of the time range must be after its start.", "to");
        }
        return new AuditFilter(actor, actorId, action, prefix, connector, parsedOutcome, start, end);
    }

    private static @Nullable String text(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > MAX_TEXT) {
            throw new GatehouseException.BadRequest("invalid-audit-filter", "The " + field + " filter is too long (at most "
                    + MAX_TEXT + " characters).", field);
        }
        return stripped;
    }

    /**
     * An instant ({@code 2026-11-25T09:00:00Z}, or with an offset), a local date-time as a browser's date-time field
     * sends it, or a date; the last two in the installation's zone. A date as {@code to} includes that whole day.
     */
    private static @Nullable Instant time(@Nullable String value, String field, ZoneId zone, boolean end) {
        String text = text(value, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant(); // Z or an offset; seconds optional
        } catch (DateTimeParseException notAnInstant) {
            // try the local forms
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException notALocalTime) {
            // try a date
        }
        try {
            LocalDate day = LocalDate.parse(text);
            return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new GatehouseException.BadRequest("invalid-audit-filter", "The " + field + " time is an ISO-8601 instant"
                    + " (2026-11-25T09:00:00Z), a local date-time (2026-11-25T09:00) or a date (2026-11-25).", field);
        }
    }

    /** The SQL condition (starting with {@code where}, or empty) with its values appended to {@code params}. */
    String where(List<Object> params) {
        StringBuilder sql = new StringBuilder();
        if (actorId != null) {
            and(sql).append("actor_id = ?");
            params.add(actorId);
        } else if (actor != null) {
            and(sql).append("actor_email ilike ? escape '\\'");
            params.add("%" + likeEscaped(actor) + "%");
        }
        if (action != null) {
            and(sql).append(actionPrefix ? "starts_with(action, ?)" : "action = ?");
            params.add(action);
        }
        if (connector != null) {
            and(sql).append("connector = ?");
            params.add(connector);
        }
        if (outcome != null) {
            and(sql).append("outcome = ?");
            params.add(outcome.name());
        }
        if (from != null) {
            and(sql).append("occurred_at >= ?");
            params.add(from);
        }
        if (to != null) {
            and(sql).append("occurred_at < ?");
            params.add(to);
        }
        return sql.toString();
    }

    private static StringBuilder and(StringBuilder sql) {
        return sql.append(sql.isEmpty() ? " where " : " and ");
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The filters in effect, for the audit row of an export (only those given). */
    Map<String, Object> describe() {
        Map<String, Object> given = new LinkedHashMap<>();
        put(given, "actor", actor);
        put(given, "action", action == null ? null : actionPrefix ? action + "*" : action);
        put(given, "connector", connector);
        put(given, "outcome", outcome);
        put(given, "from", from);
        put(given, "to", to);
        return given;
    }

    private static void put(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }
}
