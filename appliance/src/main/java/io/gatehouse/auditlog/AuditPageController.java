package io.gatehouse.auditlog;

import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The audit page (admins only, like every {@code /admin} page); audit.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class AuditPageController {

    private final InstallationZone zone;

    AuditPageController(InstallationZone zone) {
        this.zone = zone;
    }

    @Get("/admin/audit")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        // Dates typed into the filters are read in the installation's zone; the page says which.
        return new ModelAndView<>("audit", Map.of("caller", caller, "section", "audit", "zone", zone.zone().getId()));
    }
}
