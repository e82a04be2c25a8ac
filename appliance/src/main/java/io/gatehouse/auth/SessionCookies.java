package io.gatehouse.auth;

import io.gatehouse.audit.Origin;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The session cookie: HttpOnly, SameSite=Lax, Secure when served over TLS (or always/never by setting). */
@Singleton
public final class SessionCookies {

    private final SessionSettings settings;

    SessionCookies(SessionSettings settings) {
        this.settings = settings;
    }

    public void set(HttpRequest<?> request, MutableHttpResponse<?> response, SessionService.NewSession session) {
        response.cookie(base(request, session.cookieValue()).maxAge(session.maxAge()));
    }

    public void clear(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.cookie(base(request, "").maxAge(Duration.ZERO));
    }

    private Cookie base(HttpRequest<?> request, String value) {
        return Cookie.of(AuthenticationFilter.SESSION_COOKIE, value)
                .httpOnly(true)
                .sameSite(SameSite.Lax)
                .path("/")
                .secure(secure(request));
    }

    private boolean secure(HttpRequest<?> request) {
        return switch (settings.cookieSecure()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        };
    }

    /** Set by the web layer's client-address filter (which knows the trusted reverse proxies). */
    public static final String CLIENT_IP_ATTRIBUTE = "gatehouse.client-ip";

    public static String clientIp(HttpRequest<?> request) {
        return request.getAttribute(CLIENT_IP_ATTRIBUTE, String.class)
                .orElseGet(() -> request.getRemoteAddress().getAddress().getHostAddress());
    }

    public static String userAgent(HttpRequest<?> request) {
        return request.getHeaders().get("User-Agent");
    }

    /** Where the request came from, for the audit trail. */
    public static Origin origin(HttpRequest<?> request) {
        return new Origin(clientIp(request), userAgent(request), request.getAttribute(Origin.REQUEST_ID_ATTRIBUTE, String.class).orElse(null));
    }
}
