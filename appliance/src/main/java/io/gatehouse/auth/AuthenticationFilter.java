package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.core.order.Ordered;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import java.util.List;
import java.util.Optional;

/**
 * Deny by default: every request needs a valid session cookie or API token, except the few public paths
 * listed here. {@code /v1/**} (the OpenAI-compatible API) takes only {@code Authorization: Bearer gh_...};
 * everything else takes only the session cookie. Admin paths also need the admin flag.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AuthenticationFilter implements Ordered {

    static final String SESSION_COOKIE = "gh_session";

    private static final List<String> PUBLIC_EXACT = List.of("/login", "/setup", "/api/v1/auth/login", "/health",
            "/signup", "/api/v1/auth/signup", "/invite");
    /** {@code /sso/} holds the IdP redirects and callbacks: the person is not signed in yet when they arrive. */
    private static final List<String> PUBLIC_PREFIXES = List.of("/static/", "/webjars/", "/health/", "/sso/");
    /** What a restricted caller (waiting for approval, owing MFA) may still do, whatever the stage. */
    private static final List<String> ALWAYS_ALLOWED = List.of("/logout", "/api/v1/auth/logout", "/api/v1/me");
    private static final List<String> ADMIN_PREFIXES = List.of("/api/v1/admin/", "/admin/");

    /**
     * Bad API tokens per address before that address is refused for a while. Tokens carry 256 bits, so this
     * is not what stops guessing; it stops a client hammering with a revoked token or a scan from one host.
     */
    static final int MAX_BAD_TOKENS_PER_IP = 50;

    private final SessionService sessions;
    private final ApiTokenService tokens;
    private final FailureLimiter badTokens;
    private final List<AccessHold> holds;

    AuthenticationFilter(SessionService sessions, ApiTokenService tokens, java.time.Clock clock, List<AccessHold> holds) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.holds = holds;
        this.badTokens = new FailureLimiter("API token", clock, java.time.Duration.ofMinutes(15));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    /**
     * Runs on the event loop. A cached API token is settled right here (a hash and a map lookup), so a
     * script's request moves to a virtual thread once, for its controller; anything that needs the database
     * (sessions, a token not cached yet) is looked up on a virtual thread.
     */
    @RequestFilter
    Publisher<HttpRequest<?>> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.contains("..") || path.contains("//") || path.contains("\\")) {
            // Never let a public prefix be the way into a protected route through path tricks.
            throw new GatehouseException.BadRequest("invalid-path", "The request path is not valid.");
        }
        if (isPublic(path)) {
            return Mono.just(request);
        }
        if (isOpenAiApi(path)) {
            Optional<Caller> cached = tokens.resolveCached(bearer(request));
            if (cached.isPresent()) {
                admit(request, path, cached.get());
                return Mono.just(request);
            }
        }
        return Mono.<HttpRequest<?>>fromCallable(() -> {
            admit(request, path, isOpenAiApi(path) ? fromBearer(request) : fromSession(request));
            return request;
        }).subscribeOn(BLOCKING_LOOKUPS);
    }

    private static final Scheduler BLOCKING_LOOKUPS = Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor());

    private void admit(HttpRequest<?> request, String path, Caller caller) {
        if (caller.channel() == Caller.Channel.API_TOKEN) {
            for (AccessHold hold : holds) {
                String reason = hold.reason(caller.userId());
                if (reason != null) {
                    throw new GatehouseException.Forbidden(reason);
                }
            }
        }
        if (!caller.fullAccess() && !ALWAYS_ALLOWED.contains(path) && !allowedAt(caller.access(), path)) {
            throw stepRequired(caller.access(), returnTo(request));
        }
        if (isAdminPath(path) && !caller.admin()) {
            throw new GatehouseException.Forbidden("This page is for administrators.");
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller.from(SessionCookies.origin(request)));
    }

    private static String bearer(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? null : header.substring(7).strip();
    }

    private Caller fromBearer(HttpRequest<?> request) {
        String token = bearer(request);
        if (token == null) {
            throw new GatehouseException.Unauthorized(
                    "Missing API token. Send 'Authorization: Bearer gh_...'; create a token under My tokens.");
        }
        FailureLimiter.Key address = FailureLimiter.Key.ip(SessionCookies.clientIp(request), MAX_BAD_TOKENS_PER_IP);
        badTokens.check(address);
        Optional<Caller> caller = tokens.resolve(token);
        if (caller.isEmpty()) {
            badTokens.recordFailure(address);
            throw new GatehouseException.Unauthorized("The API token is not valid or has been revoked.");
        }
        return caller.get();
    }

    private Caller fromSession(HttpRequest<?> request) {
        Optional<Cookie> cookie = request.getCookies().findCookie(SESSION_COOKIE);
        return cookie.flatMap(c -> sessions.resolve(c.getValue())).orElseThrow(() -> new GatehouseException.Unauthorized(
                "Your session has ended. Sign in again."));
    }

    /** The paths that move a restricted caller on: the waiting page, the MFA challenge, MFA set-up. */
    private static boolean allowedAt(Caller.Access access, String path) {
        return switch (access) {
            case PENDING_APPROVAL -> path.equals("/pending");
            case MFA_CHALLENGE -> path.equals("/mfa") || path.equals("/api/v1/auth/mfa");
            case MFA_ENROLMENT -> path.equals("/mfa/enrol") || path.startsWith("/api/v1/me/mfa/totp");
            case FULL -> true;
        };
    }

    /** Where a page request wanted to go, so the MFA pages can continue there ({@code ""} for the home page). */
    private static String returnTo(HttpRequest<?> request) {
        String target = request.getUri().toString();
        if (request.getMethod() != io.micronaut.http.HttpMethod.GET || target.equals("/")) {
            return "";
        }
        return "?next=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static GatehouseException stepRequired(Caller.Access access, String returnTo) {
        return switch (access) {
            case PENDING_APPROVAL -> new GatehouseException.StepRequired("approval-pending",
                    "Your account is waiting for an administrator's approval. You will get access once it is approved.", "/pending");
            case MFA_CHALLENGE -> new GatehouseException.StepRequired("mfa-required",
                    "Enter the code from your authenticator app to finish signing in.", "/mfa" + returnTo);
            case MFA_ENROLMENT -> new GatehouseException.StepRequired("mfa-enrolment-required",
                    "Administrators must set up two-factor authentication before anything else.", "/mfa/enrol" + returnTo);
            case FULL -> throw new IllegalStateException("a fully signed-in caller owes no step");
        };
    }

    static boolean isPublic(String path) {
        return PUBLIC_EXACT.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
    }

    static boolean isOpenAiApi(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    private static boolean isAdminPath(String path) {
        return ADMIN_PREFIXES.stream().anyMatch(path::startsWith) || path.equals("/admin");
    }
}
