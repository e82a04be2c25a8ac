package io.gatehouse.auth;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.Origin;
import io.micronaut.core.annotation.Nullable;
import java.util.UUID;

/**
 * Audit events of people who are not signed in (yet): signing in, signing up, accepting an invite, setting up the
 * first admin. There is no {@link Caller}, so the actor is whoever the attempt names: the account if one was found,
 * and the email as it was typed (or as the identity provider sent it), so the admin sees what was tried.
 */
public final class SignInAudit {

    /** Emails are at most 254 characters when valid; anything typed is kept up to this bound. */
    static final int MAX_TYPED_EMAIL = 320;

    private SignInAudit() {
    }

    public static AuditEvent.Builder event(String action, @Nullable UUID userId, @Nullable String typedEmail, Origin origin) {
        return AuditEvent.of(action).actor(userId, typed(typedEmail)).origin(origin);
    }

    /** Trimmed and bounded; null when nothing was given. */
    public static @Nullable String typed(@Nullable String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String stripped = email.strip();
        return stripped.length() <= MAX_TYPED_EMAIL ? stripped : stripped.substring(0, MAX_TYPED_EMAIL);
    }
}
