package io.gatehouse.budget;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Requests per minute per person on the two ways to ask a model: the chat page's {@code POST /api/v1/chat/messages}
 * and the API's {@code POST /v1/chat/completions}. Runs after authentication (the caller is known, never taken from
 * the request) and entirely in memory, on the event loop. Over the limit: 429 with Retry-After.
 */
@ServerFilter(patterns = {"/api/v1/chat/messages", "/v1/chat/completions"}, methods = HttpMethod.POST)
final class ChatRateLimitFilter implements Ordered {

    private final RateLimits limits;

    ChatRateLimitFilter(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    void limit(HttpRequest<?> request) {
        Caller caller = request.getAttribute(Caller.REQUEST_ATTRIBUTE, Caller.class).orElse(null);
        if (caller == null) {
            return; // authentication refused it already, or it is not a chat request
        }
        long retryAfter = limits.take(caller.userId());
        if (retryAfter > 0) {
            int perMinute = limits.perMinute(caller.userId());
            throw new GatehouseException.TooManyRequests("You are sending requests too fast: the limit is " + perMinute
                    + (perMinute == 1 ? " request" : " requests") + " a minute. Try again in " + retryAfter
                    + (retryAfter == 1 ? " second." : " seconds."), retryAfter);
        }
    }
}
