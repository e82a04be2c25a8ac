package io.gatehouse.access;

import io.gatehouse.audit.Origin;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionCookies;
import io.gatehouse.auth.SessionService;
import io.gatehouse.auth.SignInCompletion;
import io.gatehouse.auth.SignInOptions;
import io.gatehouse.auth.User;
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
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sign-up and invite pages (plain forms), the JSON sign-up, and the page pending users wait on. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class SignUpPageController {

    private final SignUp signUp;
    private final Invites invites;
    private final AccessPolicy policy;
    private final SignInCompletion completion;
    private final SessionCookies cookies;
    private final List<SignInOptions> signInOptions;

    SignUpPageController(SignUp signUp, Invites invites, AccessPolicy policy, SignInCompletion completion, SessionCookies cookies,
                         List<SignInOptions> signInOptions) {
        this.signUp = signUp;
        this.invites = invites;
        this.policy = policy;
        this.completion = completion;
        this.cookies = cookies;
        this.signInOptions = signInOptions;
    }

    @Get("/signup")
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<?> signupPage() {
        if (!policy.localSignupEnabled()) {
            return HttpResponse.status(HttpStatus.NOT_FOUND).body(page("message", Map.of("title", "Sign-up is not open",
                    "message", "Accounts here come from your company sign-in or an invite. Sign in with your company account, "
                            + "or ask your administrator for an invite.")));
        }
        return HttpResponse.ok(page("signup", new HashMap<>()));
    }

    @Get("/invite")
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<?> invitePage(@Nullable @QueryValue String token) {
        Optional<Invite> invite = invites.usable(token);
        if (invite.isEmpty()) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(page("message", Map.of("title", "Invite not valid",
                    "message", "This invite link is invalid, expired or already used. Ask your administrator for a new one.")));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("invite", invite.get());
        model.put("inviteToken", token);
        return HttpResponse.ok(page("signup", model));
    }

    @Post("/signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<?> signupForm(HttpRequest<?> request, @Body Map<String, String> form) {
        String inviteToken = form.get("invite");
        try {
            Origin origin = SessionCookies.origin(request);
            User user = signUp.signUp(form.get("email"), form.get("displayName"), form.get("password"), inviteToken, origin);
            SessionService.NewSession session = completion.complete(user, "sign-up", form.get("email"), origin);
            MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create(user.pending() ? "/pending" : "/"));
            cookies.set(request, response, session);
            return response;
        } catch (GatehouseException e) {
            Map<String, Object> model = new HashMap<>();
            invites.usable(inviteToken).ifPresent(i -> {
                model.put("invite", i);
                model.put("inviteToken", inviteToken);
            });
            model.put("email", form.getOrDefault("email", ""));
            model.put("displayName", form.getOrDefault("displayName", ""));
            model.put("error", e.getMessage());
            MutableHttpResponse<?> response = HttpResponse.status(e.status()).body(page("signup", model));
            if (e instanceof GatehouseException.TooManyRequests limited) {
                response.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
            }
            return response;
        }
    }

    record SignUpForm(@Nullable String email, @Nullable String displayName, @Nullable String password, @Nullable String invite) {
    }

    record SignedUp(String status, Caller.Access access) {
    }

    /** JSON sign-up; answers with the new account's status and sets the session cookie. */
    @Post("/api/v1/auth/signup")
    HttpResponse<SignedUp> signupApi(HttpRequest<?> request, @Body SignUpForm form) {
        Origin origin = SessionCookies.origin(request);
        User user = signUp.signUp(form.email(), form.displayName(), form.password(), form.invite(), origin);
        SessionService.NewSession session = completion.complete(user, "sign-up", form.email(), origin);
        MutableHttpResponse<SignedUp> response = HttpResponse.created(new SignedUp(user.status(),
                user.pending() ? Caller.Access.PENDING_APPROVAL : Caller.Access.FULL));
        cookies.set(request, response, session);
        return response;
    }

    @Get("/pending")
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<?> pending(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        if (caller.access() != Caller.Access.PENDING_APPROVAL) {
            return HttpResponse.seeOther(URI.create("/"));
        }
        return HttpResponse.ok(page("pending", Map.of("caller", caller)));
    }

    private ModelAndView<Map<String, Object>> page(String view, Map<String, ?> model) {
        Map<String, Object> m = new HashMap<>(model);
        m.put("providers", signInOptions.stream().flatMap(o -> o.providers().stream()).toList());
        return new ModelAndView<>(view, m);
    }
}
