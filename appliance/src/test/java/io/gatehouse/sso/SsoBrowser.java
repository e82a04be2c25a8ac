package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One browser going through single sign-on by hand: redirects are followed one at a time so each hop can be
 * checked or tampered with. Cookies are kept for the portal only (the mock provider needs none), honouring
 * Max-Age=0, so a test can also send a cookie the real browser has already dropped.
 */
final class SsoBrowser {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String portalBase;
    final Map<String, String> cookies = new LinkedHashMap<>();

    SsoBrowser(String portalBase) {
        this.portalBase = portalBase;
    }

    /** GET an absolute URL, or a path on the portal. */
    HttpResponse<String> get(String url) {
        String absolute = url.startsWith("/") ? portalBase + url : url;
        boolean portal = absolute.startsWith(portalBase);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(absolute)).timeout(Duration.ofSeconds(30)).GET();
        if (portal && !cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (portal) {
                remember(response.headers().allValues("Set-Cookie"));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Step 1: the portal sends the browser to the provider; returns the authorization URL. */
    String start(String slug, String query) {
        HttpResponse<String> start = get("/sso/" + slug + "/start" + (query.isEmpty() ? "" : "?" + query));
        assertThat(start.statusCode()).as("start: %s", start.body()).isEqualTo(302);
        return location(start);
    }

    /** Step 2: the provider signs the person in (no prompt in the mock) and sends them back; returns the callback URL. */
    String authorize(String authorizationUrl) {
        HttpResponse<String> idp = get(authorizationUrl);
        assertThat(idp.statusCode()).as("provider: %s", idp.body()).isEqualTo(302);
        String callback = location(idp);
        assertThat(callback).startsWith(portalBase + "/sso/");
        return callback;
    }

    /** Start, provider, callback: the portal's answer to the callback. */
    HttpResponse<String> signIn(String slug, String query) {
        return get(authorize(start(slug, query)));
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location header"));
    }

    static List<String> setCookieNames(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> !c.toLowerCase().contains("max-age=0"))
                .map(c -> c.substring(0, c.indexOf('='))).toList();
    }

    private void remember(List<String> setCookies) {
        for (String header : setCookies) {
            String pair = header.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (header.toLowerCase().contains("max-age=0") || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }
}
