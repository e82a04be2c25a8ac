package io.gatehouse.usage;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;

/**
 * The usage dashboard's API (admins only, like every {@code /api/v1/admin} path): sums for a range and the calls
 * themselves. Both show other people's activity, so every request is an audited view ({@code usage.viewed}, with
 * its range and filters), committed before any figure is read (refused with 503 when it cannot be).
 */
@Controller("/api/v1/admin/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UsageAdminController {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    private final UsageReport report;
    private final AuditTrail audit;
    private final InstallationZone zone;
    private final Clock clock;

    UsageAdminController(UsageReport report, AuditTrail audit, InstallationZone zone, Clock clock) {
        this.report = report;
        this.audit = audit;
        this.zone = zone;
        this.clock = clock;
    }

    /** Totals and sums by person, role, model and day; {@code from}/{@code to} are dates (YYYY-MM-DD), this month by default. */
    @Get
    UsageReport.Summary summary(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @QueryValue String from,
                                @Nullable @QueryValue String to, @Nullable @QueryValue String user, @Nullable @QueryValue String model,
                                @Nullable @QueryValue String outcome) {
        UsageQuery query = query(caller, from, to, user, model, outcome);
        audit.record(viewed(caller, query, "summary"));
        return report.summary(query);
    }

    /** The calls of the range, newest first, {@code size} (at most {@value #MAX_PAGE_SIZE}) a page. */
    @Get("/calls")
    UsageReport.CallPage calls(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @QueryValue String from,
                               @Nullable @QueryValue String to, @Nullable @QueryValue String user, @Nullable @QueryValue String model,
                               @Nullable @QueryValue String outcome, @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        UsageQuery query = query(caller, from, to, user, model, outcome);
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_PAGE_SIZE : size;
        if (p < 0 || s < 1 || s > MAX_PAGE_SIZE) {
            throw new GatehouseException.BadRequest("invalid-page", "Pages start at 0 and hold 1 to " + MAX_PAGE_SIZE + " calls.",
                    p < 0 ? "page" : "size");
        }
        audit.record(viewed(caller, query, "calls").detail("page", p).detail("size", s));
        return report.calls(query, p, s);
    }

    private UsageQuery query(Caller caller, @Nullable String from, @Nullable String to, @Nullable String user,
                             @Nullable String model, @Nullable String outcome) {
        // The path filter lets only admins here; this keeps the rule true if the route ever moves.
        if (!caller.admin()) {
            throw new GatehouseException.Forbidden("Usage figures are for admins.");
        }
        return UsageQuery.parse(from, to, user, model, outcome, zone.zone(), clock);
    }

    private static AuditEvent.Builder viewed(Caller caller, UsageQuery q, String view) {
        return caller.audit("usage.viewed")
                .target(q.user() == null ? "usage" : "user", q.user())
                .detail("view", view)
                .detail("from", q.from().toString())
                .detail("to", q.to().toString())
                .detail("user", q.user())
                .detail("model", q.model())
                .detail("outcome", q.outcome());
    }
}
