package io.gatehouse.retention;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The retention page (admins only, like every {@code /admin} page); retention.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class RetentionPageController {

    @Get("/admin/retention")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("retention", Map.of("caller", caller, "section", "retention",
                "minimumAuditDays", RetentionSettings.MINIMUM_AUDIT_DAYS));
    }
}
