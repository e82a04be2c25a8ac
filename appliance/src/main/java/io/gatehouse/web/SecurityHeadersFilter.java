package io.gatehouse.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Headers on every response: a strict CSP (scripts and styles only from this origin, no inline script),
 * no framing, no sniffing, a tight referrer and permissions policy, and no caching of pages with user data.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class SecurityHeadersFilter implements Ordered {

    /** Outermost, so responses produced by any inner filter (a refused login, say) get the headers too. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @ResponseFilter
    void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CSP);
        response.header("X-Frame-Options", "DENY");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "strict-origin-when-cross-origin");
        response.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        if (!request.getPath().startsWith("/static/") && !request.getPath().startsWith("/webjars/")) {
            response.header("Cache-Control", "no-store");
        }
        // Behind the TLS-terminating proxy the request arrives as plain HTTP with X-Forwarded-Proto; browsers
        // ignore HSTS received over plain HTTP, so a forged header gains nothing.
        if (request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"))) {
            response.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }
}
