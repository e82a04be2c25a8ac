package io.gatehouse.siem;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The SIEM export page (admins only, like every {@code /admin} page); siem.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class SiemPageController {

    @Get("/admin/siem")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("siem", Map.of("caller", caller, "section", "siem"));
    }
}
