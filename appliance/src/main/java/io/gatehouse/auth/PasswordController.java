package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import java.util.HashMap;
import java.util.Map;

/** Changing one's own password: {@code POST /api/v1/me/password} and the {@code /account/password} page. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class PasswordController {

    private final PasswordChange change;

    PasswordController(PasswordChange change) {
        this.change = change;
    }

    record PasswordForm(@Nullable String currentPassword, @Nullable String newPassword) {
    }

    record Changed(int otherSessionsEnded) {
    }

    @Post("/api/v1/me/password")
    Changed changeApi(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body PasswordForm form) {
        return new Changed(change.change(caller, form.currentPassword(), form.newPassword()));
    }

    @Get("/account/password")
    @Produces(MediaType.TEXT_HTML)
    ModelAndView<Map<String, Object>> page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("password", model(caller));
    }

    @Post("/account/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<?> changeForm(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body Map<String, String> form) {
        Map<String, Object> model = model(caller);
        try {
            if (!form.getOrDefault("newPassword", "").equals(form.getOrDefault("repeatPassword", ""))) {
                throw new GatehouseException.BadRequest("passwords-differ", "The new password and its repetition differ.");
            }
            int ended = change.change(caller, form.get("currentPassword"), form.get("newPassword"));
            model.put("done", "Your password is changed. " + (ended == 1 ? "1 other session was" : ended + " other sessions were")
                    + " signed out.");
            return HttpResponse.ok(new ModelAndView<>("password", model));
        } catch (GatehouseException e) {
            model.put("error", e.getMessage());
            return HttpResponse.status(e.status()).body(new ModelAndView<>("password", model));
        }
    }

    private static Map<String, Object> model(Caller caller) {
        Map<String, Object> model = new HashMap<>();
        model.put("caller", caller);
        model.put("section", "account");
        return model;
    }
}
