package io.gatehouse.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.views.ModelAndView;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only pages for {@link ViewRenderingFailureTest}: one whose template throws while rendering, one that renders.
 * Under {@code /sso/} because that prefix is public, so no sign-in is needed; only present when the test asks.
 */
@Controller("/sso/test-views")
@Produces(MediaType.TEXT_HTML)
@Requires(property = BrokenViewController.ENABLED, value = "true")
final class BrokenViewController {

    static final String ENABLED = "gatehouse.test.broken-view-controller";

    @Get("/broken")
    ModelAndView<Map<String, Object>> broken() {
        Map<String, Object> model = new HashMap<>();
        model.put("missing", null);
        return new ModelAndView<>("test-broken-view", model);
    }

    @Get("/working")
    ModelAndView<Map<String, Object>> working() {
        return new ModelAndView<>("message", Map.of("title", "Fine", "message", "This page renders."));
    }
}
