package io.gatehouse.sso;

import io.gatehouse.auth.SessionCookies;
import io.micronaut.http.HttpRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;

/**
 * pac4j's view of one Micronaut request. Only what the OIDC client reads is real: query parameters (the
 * callback is a GET, response mode query), headers, and the public base URL from which the redirect URI is
 * built. pac4j never writes the response here; the controller builds it from the redirection it returns.
 */
final class SsoWebContext implements WebContext {

    private final HttpRequest<?> request;
    private final String publicBase;
    private final URI base;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    SsoWebContext(HttpRequest<?> request, String publicBase) {
        this.request = request;
        this.publicBase = publicBase;
        this.base = URI.create(publicBase);
    }

    /** scheme://host[:port] (and path prefix, if the public URL has one) without a trailing slash. */
    String publicBase() {
        return publicBase;
    }

    @Override
    public Optional<String> getRequestParameter(String name) {
        return request.getParameters().getFirst(name);
    }

    @Override
    public Map<String, String[]> getRequestParameters() {
        Map<String, String[]> all = new HashMap<>();
        for (String name : request.getParameters().names()) {
            all.put(name, request.getParameters().getAll(name).toArray(String[]::new));
        }
        return all;
    }

    @Override
    public Optional getRequestAttribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    @Override
    public void setRequestAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public Optional<String> getRequestHeader(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public String getRequestMethod() {
        return request.getMethodName();
    }

    @Override
    public String getRemoteAddr() {
        return SessionCookies.clientIp(request);
    }

    @Override
    public void setResponseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public Optional<String> getResponseHeader(String name) {
        return Optional.ofNullable(responseHeaders.get(name));
    }

    @Override
    public void setResponseContentType(String content) {
        // pac4j writes no body for the code flow; the controller sets its own content type.
    }

    @Override
    public String getServerName() {
        return base.getHost();
    }

    @Override
    public int getServerPort() {
        int port = base.getPort();
        return port != -1 ? port : "https".equals(base.getScheme()) ? 443 : 80;
    }

    @Override
    public String getScheme() {
        return base.getScheme();
    }

    @Override
    public boolean isSecure() {
        return "https".equals(base.getScheme());
    }

    @Override
    public String getFullRequestURL() {
        return publicBase + request.getUri().toString();
    }

    @Override
    public Collection<Cookie> getRequestCookies() {
        List<Cookie> cookies = new ArrayList<>();
        request.getCookies().getAll().forEach(c -> cookies.add(new Cookie(c.getName(), c.getValue())));
        return cookies;
    }

    @Override
    public void addResponseCookie(Cookie cookie) {
        // The OIDC client sets no cookies; the pre-login state lives in PreLoginStates, keyed by our own cookie.
    }

    @Override
    public String getPath() {
        return request.getPath();
    }
}
