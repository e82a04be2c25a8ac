package io.gatehouse.approval;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.Map;

/**
 * The approvals page; approvals-queue.js drives it through the API. {@code /approvals} is for anyone who may
 * approve a colleague's call (four eyes); {@code /admin/approvals} adds recent decisions and the Audited review list.
 */
@Controller
@Produces(MediaType.TEXT_HTML)
final class ApprovalPageController {

    @Get("/approvals")
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("approvals", Map.of("caller", caller, "section", "approvals", "adminView", false));
    }

    @Get("/admin/approvals")
    ModelAndView<Map<String, Object>> admin(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("approvals", Map.of("caller", caller, "section", "approvals", "adminView", true));
    }
}
