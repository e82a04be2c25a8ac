package io.gatehouse.web;

import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * CSRF defence in depth next to the SameSite=Lax cookie: a state-changing request that a browser marks
 * with an {@code Origin} (or, failing that, a {@code Referer}) from another site is refused with 403 before
 * any authentication or handler runs. Browsers always send Origin on cross-site POST/PUT/DELETE, so a
 * request carrying neither comes from a non-browser client (curl, scripts), which a forged page cannot drive.
 * {@code /v1/**} is exempt: it takes bearer tokens only, never cookies.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class SameOriginFilter implements Ordered {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final String publicOrigin;

    SameOriginFilter(@Nullable @Value("${gatehouse.public-url:}") String publicUrl) {
        this.publicOrigin = publicUrl == null || publicUrl.isBlank() ? null : origin(URI.create(publicUrl.strip()));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before(); // ahead of authentication: a forged request learns nothing
    }

    @RequestFilter
    void check(HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod()) || request.getPath().equals("/v1") || request.getPath().startsWith("/v1/")) {
            return;
        }
        String claimed = request.getHeaders().get("Origin");
        if (claimed == null || claimed.isBlank() || "null".equals(claimed)) {
            String referer = request.getHeaders().get("Referer");
            if (referer == null || referer.isBlank()) {
                if ("null".equals(claimed)) {
                    throw refused(); // an opaque origin (sandboxed frame, data: URL) is never ours
                }
                return;
            }
            claimed = referer;
        }
        String actual;
        try {
            actual = origin(URI.create(claimed.strip()));
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        if (!actual.equals(expectedOrigin(request))) {
            throw refused();
        }
    }

    private String expectedOrigin(HttpRequest<?> request) {
        if (publicOrigin != null) {
            return publicOrigin;
        }
        String host = request.getHeaders().get("Host");
        boolean tls = request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        return (tls ? "https://" : "http://") + (host == null ? "" : host.toLowerCase(Locale.ROOT));
    }

    /** scheme://host[:port], lower-case, default ports left out, as browsers send it. */
    static String origin(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static GatehouseException refused() {
        return new GatehouseException.Forbidden("This request came from another site and was refused. Use Gatehouse's own pages.");
    }
}
