package io.gatehouse.governance.killswitch;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The kill-switch panel (admins only, like every {@code /admin} page); kill-switch.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class KillSwitchPageController {

    @Get("/admin/kill-switch")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("kill-switch", Map.of("caller", caller, "section", "kill-switch"));
    }
}
