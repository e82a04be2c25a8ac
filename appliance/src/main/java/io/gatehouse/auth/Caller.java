package io.gatehouse.auth;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.Origin;
import java.util.UUID;

/**
 * Who is making the request, resolved by {@link AuthenticationFilter} from a session cookie or an API
 * token. Authorization decisions read it; it is never built from anything the client or model says.
 */
public record Caller(UUID userId, String email, String displayName, boolean admin, Channel channel, UUID credentialId,
                     Access access, Origin origin) {

    /** Without an origin yet: {@link AuthenticationFilter} adds the request's with {@link #from(Origin)}. */
    public Caller(UUID userId, String email, String displayName, boolean admin, Channel channel, UUID credentialId, Access access) {
        this(userId, email, displayName, admin, channel, credentialId, access, Origin.SYSTEM);
    }

    public Caller from(Origin requestOrigin) {
        return new Caller(userId, email, displayName, admin, channel, credentialId, access, requestOrigin);
    }

    /** An audit event done by this caller, from where they are. */
    public AuditEvent.Builder audit(String action) {
        return AuditEvent.of(action).actor(userId, email).origin(origin);
    }

    /** How the caller authenticated: a browser session or a personal API token. */
    public enum Channel { SESSION, API_TOKEN }

    /**
     * How far the caller is let in. Only {@link #FULL} reaches chat, the API and admin pages; the others may
     * use just the page that moves them on (waiting for approval, the MFA challenge, MFA set-up).
     */
    public enum Access { FULL, PENDING_APPROVAL, MFA_CHALLENGE, MFA_ENROLMENT }

    public static final String REQUEST_ATTRIBUTE = "gatehouse.caller";

    public boolean fullAccess() {
        return access == Access.FULL;
    }
}
