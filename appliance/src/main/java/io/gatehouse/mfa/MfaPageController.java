package io.gatehouse.mfa;

import io.gatehouse.auth.Caller;
import io.gatehouse.auth.ReturnTo;
import io.gatehouse.auth.SessionCookies;
import io.gatehouse.auth.SessionService;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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

/**
 * The browser's two-factor pages, plain forms without script: the sign-in challenge ({@code /mfa}), setting up
 * an authenticator ({@code /mfa/enrol}) and "Two-factor authentication" under {@code /account/security}.
 * A failed form shows its page again with the reason; the session cookie changes whenever a session is promoted.
 */
@Controller
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
final class MfaPageController {

    private final MfaChallenge challenge;
    private final TotpEnrolment enrolment;
    private final MfaAccount account;
    private final SessionCookies cookies;

    MfaPageController(MfaChallenge challenge, TotpEnrolment enrolment, MfaAccount account, SessionCookies cookies) {
        this.challenge = challenge;
        this.enrolment = enrolment;
        this.account = account;
        this.cookies = cookies;
    }

    @Get("/mfa")
    HttpResponse<?> challengePage(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @QueryValue String next) {
        if (caller.access() != Caller.Access.MFA_CHALLENGE) {
            return HttpResponse.seeOther(URI.create(ReturnTo.localExcept(next, "/mfa")));
        }
        return HttpResponse.ok(page("mfa-challenge", Map.of("next", ReturnTo.localExcept(next, "/mfa"))));
    }

    @Post("/mfa")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> answerChallenge(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                    @Body Map<String, String> form) {
        String next = ReturnTo.localExcept(form.get("next"), "/mfa");
        try {
            SessionService.NewSession promoted = challenge.answer(caller, proofFrom(form), SessionCookies.clientIp(request));
            MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create(next));
            cookies.set(request, response, promoted);
            return response;
        } catch (GatehouseException e) {
            return failed(e, page("mfa-challenge", Map.of("next", next, "error", e.getMessage())));
        }
    }

    @Get("/mfa/enrol")
    HttpResponse<?> enrolmentPage(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @QueryValue String next) {
        Optional<EnrolmentQr.Enrolment> pending = enrolment.pendingOrNew(caller);
        if (pending.isEmpty()) {
            // Already on: replacing the authenticator starts from the account page, which asks for a current code.
            return HttpResponse.seeOther(URI.create("/account/security"));
        }
        return HttpResponse.ok(enrolmentView(caller, pending.get(), ReturnTo.localExcept(next, "/mfa"), null));
    }

    /** {@code action=start} (with a current code) begins replacing an authenticator that is on; otherwise confirms the set-up. */
    @Post("/mfa/enrol")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> enrolmentForm(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                  @Body Map<String, String> form) {
        String next = ReturnTo.localExcept(form.get("next"), "/mfa");
        if ("start".equals(form.get("action"))) {
            try {
                return HttpResponse.ok(enrolmentView(caller, enrolment.start(caller, proofFrom(form), SessionCookies.clientIp(request)), next, null));
            } catch (GatehouseException e) {
                return failed(e, accountView(caller, Map.of("error", e.getMessage())));
            }
        }
        try {
            TotpEnrolment.Confirmed confirmed = enrolment.confirm(caller, form.get("code"));
            MutableHttpResponse<?> response = HttpResponse.ok(page("mfa-enrol", Map.of(
                    "recoveryCodes", confirmed.recoveryCodes(),
                    "continueTo", caller.access() == Caller.Access.MFA_ENROLMENT ? next : "/account/security")));
            if (confirmed.promoted() != null) {
                cookies.set(request, response, confirmed.promoted());
            }
            return response;
        } catch (GatehouseException e) {
            Optional<EnrolmentQr.Enrolment> pending = enrolment.pendingOrNew(caller);
            if (pending.isEmpty()) {
                return HttpResponse.seeOther(URI.create("/account/security"));
            }
            return failed(e, enrolmentView(caller, pending.get(), next, e.getMessage()));
        }
    }

    @Get("/account/security")
    ModelAndView<Map<String, Object>> securityPage(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return accountView(caller, Map.of());
    }

    @Post("/account/security/recovery-codes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> regenerateRecoveryCodes(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @Body Map<String, String> form) {
        try {
            List<String> codes = account.regenerateRecoveryCodes(caller, proofFrom(form), SessionCookies.clientIp(request));
            return HttpResponse.ok(accountView(caller, Map.of("recoveryCodes", codes)));
        } catch (GatehouseException e) {
            return failed(e, accountView(caller, Map.of("error", e.getMessage())));
        }
    }

    @Post("/account/security/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> disable(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                            @Body Map<String, String> form) {
        try {
            account.disable(caller, proofFrom(form), SessionCookies.clientIp(request));
            return HttpResponse.ok(accountView(caller, Map.of("notice", "Two-factor authentication is off for your account.")));
        } catch (GatehouseException e) {
            return failed(e, accountView(caller, Map.of("error", e.getMessage())));
        }
    }

    private static Proof proofFrom(Map<String, String> form) {
        return new Proof(form.get("code"), form.get("recoveryCode"));
    }

    private ModelAndView<Map<String, Object>> enrolmentView(Caller caller, EnrolmentQr.Enrolment pending, String next, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("secret", pending.secret());
        model.put("qrCode", pending.qrCode());
        model.put("otpauthUri", pending.otpauthUri());
        model.put("next", next);
        model.put("mandatory", caller.access() == Caller.Access.MFA_ENROLMENT);
        model.put("error", error);
        return new ModelAndView<>("mfa-enrol", model);
    }

    private ModelAndView<Map<String, Object>> accountView(Caller caller, Map<String, ?> extra) {
        Map<String, Object> model = new HashMap<>(extra);
        model.put("caller", caller);
        model.put("section", "security");
        model.put("status", account.status(caller));
        return new ModelAndView<>("account-security", model);
    }

    /** The page again with the reason, under the failure's status (and Retry-After when throttled). */
    private static HttpResponse<?> failed(GatehouseException e, ModelAndView<Map<String, Object>> view) {
        MutableHttpResponse<?> response = HttpResponse.status(e.status()).body(view);
        if (e instanceof GatehouseException.TooManyRequests limited) {
            response.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        return response;
    }

    private static ModelAndView<Map<String, Object>> page(String view, Map<String, ?> model) {
        return new ModelAndView<>(view, new HashMap<>(model));
    }
}
