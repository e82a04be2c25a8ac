package io.gatehouse.auth;

import io.gatehouse.audit.ChangeAudit;
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
import java.util.UUID;

/** JSON sign-in for scripts and the admin API: {@code POST /api/v1/auth/login} sets the session cookie. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class AuthApiController {

    private final LoginService login;
    private final SessionService sessions;
    private final SessionCookies cookies;
    private final ChangeAudit changes;

    AuthApiController(LoginService login, SessionService sessions, SessionCookies cookies, ChangeAudit changes) {
        this.login = login;
        this.sessions = sessions;
        this.cookies = cookies;
        this.changes = changes;
    }

    @Post("/auth/login")
    HttpResponse<Me> login(HttpRequest<?> request, @Body Credentials credentials) {
        SessionService.NewSession session = login.login(credentials.email(), credentials.password(), SessionCookies.origin(request));
        Caller caller = sessions.resolve(session.cookieValue()).orElseThrow();
        MutableHttpResponse<Me> response = HttpResponse.ok(Me.of(caller));
        cookies.set(request, response, session);
        return response;
    }

    @Post("/auth/logout")
    HttpResponse<Void> logout(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        sessions.end(caller.credentialId());
        changes.afterAccessRemoved(caller.audit("auth.sign_out").target("session", caller.credentialId()));
        MutableHttpResponse<Void> response = HttpResponse.noContent();
        cookies.clear(request, response);
        return response;
    }

    @Get("/me")
    Me me(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return Me.of(caller);
    }

    record Credentials(String email, String password) {
    }

    /** {@code access} tells a client what it must do next: FULL, PENDING_APPROVAL, MFA_CHALLENGE or MFA_ENROLMENT. */
    record Me(UUID id, String email, String displayName, boolean admin, Caller.Access access) {
        static Me of(Caller caller) {
            return new Me(caller.userId(), caller.email(), caller.displayName(), caller.admin(), caller.access());
        }
    }
}
