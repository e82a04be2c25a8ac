package io.gatehouse.sso;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Where browsers reach Gatehouse: {@code gatehouse.public-url} when set (behind a proxy it should be), else
 * the request's Host and scheme. The redirect URI registered at the identity provider is built from it, so
 * the one an admin sees on the page is exactly the one sent in the authorization request.
 */
@Singleton
final class PublicBase {

    /** A Host header is client input; anything but a plain host[:port] falls back to the socket address. */
    private static final Pattern HOST = Pattern.compile("^([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?$");

    private final String configured;

    PublicBase(@Nullable @Value("${gatehouse.public-url:}") String publicUrl) {
        String url = publicUrl == null ? "" : publicUrl.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.configured = url.isEmpty() ? null : url;
    }

    String of(HttpRequest<?> request) {
        if (configured != null) {
            return configured;
        }
        boolean tls = request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        String host = request.getHeaders().get("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return (tls ? "https://" : "http://") + host;
    }

    static String callbackPath(String slug) {
        return "/sso/" + slug + "/callback";
    }
}
