package io.gatehouse.sso;

import io.gatehouse.auth.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.views.ModelAndView;
import java.util.HashMap;
import java.util.Map;

/** The Single sign-on admin page; its script reads and writes through the admin API. Admin-only by path. */
@Controller
@io.micronaut.scheduling.annotation.ExecuteOn(io.micronaut.scheduling.TaskExecutors.BLOCKING)
@Produces(MediaType.TEXT_HTML)
final class IdentityProviderPageController {

    private final PublicBase publicBase;

    IdentityProviderPageController(PublicBase publicBase) {
        this.publicBase = publicBase;
    }

    @Get("/admin/identity-providers")
    ModelAndView<Map<String, Object>> page(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        Map<String, Object> model = new HashMap<>();
        model.put("caller", caller);
        model.put("section", "identity-providers");
        model.put("publicBase", publicBase.of(request));
        return new ModelAndView<>("identity-providers", model);
    }
}
