package io.gatehouse.license;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The License page (admins only, like every {@code /admin} page); license.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class LicensePageController {

    @Get("/admin/license")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("license", Map.of("caller", caller, "section", "license"));
    }
}
