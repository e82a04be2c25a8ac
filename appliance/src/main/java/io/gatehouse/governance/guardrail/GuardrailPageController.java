package io.gatehouse.governance.guardrail;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import java.util.HashMap;
import java.util.Map;

/** The Guardrails admin page; its script reads and writes through the admin API. Admin-only by path. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.TEXT_HTML)
final class GuardrailPageController {

    @Get("/admin/guardrails")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        Map<String, Object> model = new HashMap<>();
        model.put("caller", caller);
        model.put("section", "guardrails");
        return new ModelAndView<>("guardrails", model);
    }
}
