package io.gatehouse.auth;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.audit.Origin;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The browser's sign-in, sign-out and first-admin setup pages (plain forms, no script needed). */
@Controller
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
final class LoginPageController {

    private final LoginService login;
    private final SessionService sessions;
    private final SessionCookies cookies;
    private final FirstAdminSetup setup;
    private final List<SignInOptions> signInOptions;
    private final SignInCompletion completion;
    private final ChangeAudit changes;

    LoginPageController(LoginService login, SessionService sessions, SessionCookies cookies, FirstAdminSetup setup,
                        List<SignInOptions> signInOptions, SignInCompletion completion, ChangeAudit changes) {
        this.login = login;
        this.sessions = sessions;
        this.cookies = cookies;
        this.setup = setup;
        this.signInOptions = signInOptions;
        this.completion = completion;
        this.changes = changes;
    }

    @Get("/login")
    HttpResponse<?> loginPage(HttpRequest<?> request, @Nullable @QueryValue String next) {
        Optional<Caller> already = request.getCookies().findCookie(AuthenticationFilter.SESSION_COOKIE)
                .map(Cookie::getValue).flatMap(sessions::resolve);
        if (already.isPresent()) {
            return HttpResponse.seeOther(URI.create(ReturnTo.local(next)));
        }
        return HttpResponse.ok(page("login", Map.of("next", ReturnTo.local(next), "providers", providers())));
    }

    @Post("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> loginForm(HttpRequest<?> request, @Body Map<String, String> form) {
        String next = ReturnTo.local(form.get("next"));
        try {
            SessionService.NewSession session = login.login(form.get("email"), form.get("password"), SessionCookies.origin(request));
            MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create(next));
            cookies.set(request, response, session);
            return response;
        } catch (GatehouseException e) {
            Map<String, Object> model = new HashMap<>();
            model.put("next", next);
            model.put("error", e.getMessage());
            model.put("email", form.getOrDefault("email", ""));
            model.put("providers", providers());
            return HttpResponse.status(e.status()).body(page("login", model));
        }
    }

    @Post("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> logout(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        sessions.end(caller.credentialId());
        changes.afterAccessRemoved(caller.audit("auth.sign_out").target("session", caller.credentialId()));
        MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create("/login"));
        cookies.clear(request, response);
        return response;
    }

    @Get("/setup")
    HttpResponse<?> setupPage(@Nullable @QueryValue String token) {
        if (!setup.isUsable(token)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(page("message", Map.of(
                    "title", "Setup link not valid",
                    "message", "This setup link is invalid, expired or already used. If no admin exists yet, restart Gatehouse: it prints a new link in its log.")));
        }
        return HttpResponse.ok(page("setup", Map.of("token", token)));
    }

    @Post("/setup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> setupForm(HttpRequest<?> request, @Body Map<String, String> form) {
        try {
            Origin origin = SessionCookies.origin(request);
            User admin = setup.createAdmin(form.get("token"), form.get("email"), form.get("displayName"), form.get("password"), origin);
            // The first admin sets up MFA straight away, like every admin: the setup link alone is not enough.
            SessionService.NewSession session = completion.complete(admin, "setup", form.get("email"), origin);
            MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create("/mfa/enrol?next=%2Fadmin%2Fmodels"));
            cookies.set(request, response, session);
            return response;
        } catch (GatehouseException e) {
            Map<String, Object> model = new HashMap<>();
            model.put("token", form.getOrDefault("token", ""));
            model.put("email", form.getOrDefault("email", ""));
            model.put("displayName", form.getOrDefault("displayName", ""));
            model.put("error", e.getMessage());
            return HttpResponse.status(e.status()).body(page("setup", model));
        }
    }

    /** The single sign-on buttons shown under the password form. */
    private List<SignInOptions.Option> providers() {
        return signInOptions.stream().flatMap(o -> o.providers().stream()).toList();
    }


    private static ModelAndView<Map<String, Object>> page(String view, Map<String, ?> model) {
        return new ModelAndView<>(view, new HashMap<>(model));
    }
}
