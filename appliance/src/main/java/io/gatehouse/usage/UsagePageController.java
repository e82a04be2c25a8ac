package io.gatehouse.usage;

import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

/**
 * The usage dashboard (admins only, like every {@code /admin} page). The page itself holds no figures: usage.js
 * reads them from the API, where each view is audited.
 */
@Controller
@Produces(MediaType.TEXT_HTML)
final class UsagePageController {

    private final InstallationZone zone;
    private final Clock clock;

    UsagePageController(InstallationZone zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    @Get("/admin/usage")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone.zone());
        return new ModelAndView<>("usage", Map.of("caller", caller, "section", "usage", "timeZone", zone.zone().getId(),
                "from", today.withDayOfMonth(1).toString(), "to", today.withDayOfMonth(today.lengthOfMonth()).toString()));
    }
}
