package io.gatehouse.budget;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/** The budgets editor (admins only, like every {@code /admin} page); budgets.js drives it through the API. */
@Controller
@Produces(MediaType.TEXT_HTML)
final class BudgetPageController {

    @Get("/admin/budgets")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("budgets", Map.of("caller", caller, "section", "budgets"));
    }
}
