package io.gatehouse.sso;

import io.gatehouse.auth.SessionCookies;
import io.gatehouse.auth.SessionSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.CookieValue;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;

/**
 * The browser's side of single sign-on: {@code /sso/{slug}/start} sends the person to the identity provider,
 * {@code /sso/{slug}/callback} is where the provider sends them back. Both are public (nobody is signed in
 * yet); failures become a friendly page through the error responder.
 */
@Controller("/sso/{slug}")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SsoController {

    private final SsoSignIn signIn;
    private final SessionCookies sessionCookies;
    private final SessionSettings settings;

    SsoController(SsoSignIn signIn, SessionCookies sessionCookies, SessionSettings settings) {
        this.signIn = signIn;
        this.sessionCookies = sessionCookies;
        this.settings = settings;
    }

    @Get("/start")
    HttpResponse<?> start(HttpRequest<?> request, @PathVariable String slug, @Nullable @QueryValue String next,
                          @Nullable @QueryValue String invite) {
        SsoSignIn.Started started = signIn.start(slug, next, invite, request);
        return HttpResponse.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, started.location())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(preLoginCookie(request, started.preLoginId(), PreLoginStates.LIFETIME));
    }

    @Get("/callback")
    HttpResponse<?> callback(HttpRequest<?> request, @PathVariable String slug,
                             @Nullable @CookieValue(PreLoginStates.COOKIE) String preLoginId) {
        SsoSignIn.Finished finished = signIn.finish(slug, preLoginId, request);
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, finished.location())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(preLoginCookie(request, "", Duration.ZERO));
        sessionCookies.set(request, response, finished.session());
        return response;
    }

    /** Lax, so it comes back on the provider's top-level redirect; scoped to /sso so no other page sees it. */
    private Cookie preLoginCookie(HttpRequest<?> request, String value, Duration maxAge) {
        return Cookie.of(PreLoginStates.COOKIE, value)
                .httpOnly(true)
                .sameSite(SameSite.Lax)
                .path("/sso")
                .maxAge(maxAge)
                .secure(secure(request));
    }

    private boolean secure(HttpRequest<?> request) {
        return switch (settings.cookieSecure()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        };
    }
}
