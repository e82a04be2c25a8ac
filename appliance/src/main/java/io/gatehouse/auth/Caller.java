package io.gatehouse.auth;

import java.util.UUID;

/**
 * Who is making the request, resolved by {@link AuthenticationFilter} from a session cookie or an API
 * token. Authorization decisions read it; it is never built from anything the client or model says.
 */
public record Caller(UUID userId, String email, String displayName, boolean admin, Channel channel, UUID credentialId) {

    /** How the caller authenticated: a browser session or a personal API token. */
    public enum Channel { SESSION, API_TOKEN }

    public static final String REQUEST_ATTRIBUTE = "gatehouse.caller";
}
