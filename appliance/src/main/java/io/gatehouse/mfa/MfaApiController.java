package io.gatehouse.mfa;

import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionCookies;
import io.gatehouse.auth.SessionService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.UUID;

/**
 * Two-factor authentication over JSON: the sign-in challenge ({@code /auth/mfa}), setting up an
 * authenticator ({@code /me/mfa/totp/...}, reachable by an admin held at MFA_ENROLMENT) and the owner's
 * self-service ({@code /me/mfa...}, fully signed-in only).
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class MfaApiController {

    private final MfaChallenge challenge;
    private final TotpEnrolment enrolment;
    private final MfaAccount account;
    private final SessionService sessions;
    private final SessionCookies cookies;

    MfaApiController(MfaChallenge challenge, TotpEnrolment enrolment, MfaAccount account, SessionService sessions, SessionCookies cookies) {
        this.challenge = challenge;
        this.enrolment = enrolment;
        this.account = account;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    record Code(@Nullable String code) {
    }

    /** Who is signed in now and how far they are let in, as {@code POST /api/v1/auth/login} answers. */
    record SignedIn(UUID id, String email, String displayName, boolean admin, Caller.Access access) {
        static SignedIn of(Caller caller) {
            return new SignedIn(caller.userId(), caller.email(), caller.displayName(), caller.admin(), caller.access());
        }
    }

    record Confirmed(List<String> recoveryCodes, Caller.Access access) {
    }

    record RecoveryCodesView(List<String> recoveryCodes) {
    }

    @Post("/auth/mfa")
    HttpResponse<SignedIn> answerChallenge(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                           @Body Proof proof) {
        SessionService.NewSession promoted = challenge.answer(caller, proof, SessionCookies.clientIp(request));
        return withCookie(request, HttpResponse.ok(SignedIn.of(sessions.resolve(promoted.cookieValue()).orElseThrow())), promoted);
    }

    @Post("/me/mfa/totp/enrolment")
    EnrolmentQr.Enrolment startEnrolment(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @Nullable @Body Proof proof) {
        return enrolment.start(caller, proof == null ? new Proof(null, null) : proof, SessionCookies.clientIp(request));
    }

    @Post("/me/mfa/totp/confirm")
    HttpResponse<Confirmed> confirmEnrolment(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                             @Body Code body) {
        TotpEnrolment.Confirmed confirmed = enrolment.confirm(caller, body.code());
        if (confirmed.promoted() == null) {
            return HttpResponse.ok(new Confirmed(confirmed.recoveryCodes(), caller.access()));
        }
        return withCookie(request, HttpResponse.ok(new Confirmed(confirmed.recoveryCodes(), Caller.Access.FULL)), confirmed.promoted());
    }

    @Get("/me/mfa")
    MfaAccount.Status status(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return account.status(caller);
    }

    @Post("/me/mfa/recovery-codes")
    RecoveryCodesView regenerateRecoveryCodes(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                              @Body Proof proof) {
        return new RecoveryCodesView(account.regenerateRecoveryCodes(caller, proof, SessionCookies.clientIp(request)));
    }

    @Post("/me/mfa/disable")
    HttpResponse<Void> disable(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body Proof proof) {
        account.disable(caller, proof, SessionCookies.clientIp(request));
        return HttpResponse.noContent();
    }

    private <T> MutableHttpResponse<T> withCookie(HttpRequest<?> request, MutableHttpResponse<T> response, SessionService.NewSession session) {
        cookies.set(request, response, session);
        return response;
    }
}
