package io.gatehouse.audit;

import io.micronaut.core.annotation.Nullable;

/**
 * Where an action came from: the client's address (after the trusted-proxy rule), its user agent and the
 * request id that ties the audit row to the logs. {@link #SYSTEM} for what the portal does on its own.
 */
public record Origin(@Nullable String ip, @Nullable String userAgent, @Nullable String requestId) {

    public static final Origin SYSTEM = new Origin(null, null, null);

    /** The request attribute holding the request id (set by the web layer from X-Request-Id or generated). */
    public static final String REQUEST_ID_ATTRIBUTE = "gatehouse.request-id";

    /** User agents are free text from the client: kept, but bounded. */
    static final int MAX_USER_AGENT = 512;

    public Origin {
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }
}
