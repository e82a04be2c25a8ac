package io.gatehouse.auth;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Server-side sessions: a row per session, found by the SHA-256 of the cookie value. A session ends at
 * the first of: idle timeout since last use, absolute lifetime since login, logout, or revocation.
 */
@Singleton
public final class SessionService {

    /** Writing last_seen_at on every request would put a write on the hot path; a minute is precise enough. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final SessionRepository sessions;
    private final UserRepository users;
    private final SessionSettings settings;
    private final Clock clock;
    private final SecureRandom random;

    SessionService(SessionRepository sessions, UserRepository users, SessionSettings settings, Clock clock, SecureRandom random) {
        this.sessions = sessions;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** A new, fully signed-in session for the user; the returned cookie value is not stored anywhere. */
    public NewSession open(User user, String ip, String userAgent) {
        return open(user, ip, userAgent, UserSession.FULL);
    }

    /** A new session at the given stage ({@link UserSession#FULL} or one still owing a second factor). */
    public NewSession open(User user, String ip, String userAgent, String stage) {
        String token = OpaqueTokens.generate(random, "");
        Instant now = clock.instant();
        UserSession session = new UserSession(UUID.randomUUID(), OpaqueTokens.hash(token), user.id(), now, now,
                now.plus(settings.absoluteTimeout()), ip, truncate(userAgent, 300), stage);
        sessions.save(session);
        return new NewSession(session.id(), token, settings.absoluteTimeout());
    }

    /**
     * Lifts a session that owed a second factor to FULL, under a new cookie value: whatever value was
     * seen before the second factor (a fixation attempt) stops working.
     */
    public NewSession promote(UUID sessionId) {
        String token = OpaqueTokens.generate(random, "");
        if (sessions.promote(sessionId, OpaqueTokens.hash(token), UserSession.FULL) != 1) {
            throw new io.gatehouse.error.GatehouseException.Unauthorized("Your sign-in has ended. Sign in again.");
        }
        UserSession session = sessions.findById(sessionId).orElseThrow();
        return new NewSession(sessionId, token, Duration.between(clock.instant(), session.expiresAt()));
    }

    /** The caller behind a cookie value, if the session is still valid; expired sessions are deleted. */
    public Optional<Caller> resolve(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return Optional.empty();
        }
        Optional<UserSession> found = sessions.findByTokenHash(OpaqueTokens.hash(cookieValue));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UserSession session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(settings.idleTimeout()))) {
            sessions.deleteById(session.id());
            return Optional.empty();
        }
        Optional<User> user = users.findById(session.userId()).filter(User::maySignIn);
        if (user.isEmpty()) {
            sessions.deleteById(session.id());
            return Optional.empty();
        }
        if (Duration.between(session.lastSeenAt(), now).compareTo(TOUCH_INTERVAL) >= 0) {
            sessions.touch(session.id(), now);
        }
        User u = user.get();
        return Optional.of(new Caller(u.id(), u.email(), u.displayName(), u.admin(), Caller.Channel.SESSION, session.id(),
                access(u, session)));
    }

    private static Caller.Access access(User user, UserSession session) {
        return switch (session.stage()) {
            case UserSession.MFA_CHALLENGE -> Caller.Access.MFA_CHALLENGE;
            case UserSession.MFA_ENROLMENT -> Caller.Access.MFA_ENROLMENT;
            default -> user.pending() ? Caller.Access.PENDING_APPROVAL : Caller.Access.FULL;
        };
    }

    /** The user's sessions that are still valid, most recently used first. */
    public java.util.List<UserSession> listOf(UUID userId) {
        Instant now = clock.instant();
        return sessions.findOfUser(userId).stream()
                .filter(s -> now.isBefore(s.expiresAt()) && now.isBefore(s.lastSeenAt().plus(settings.idleTimeout())))
                .toList();
    }

    /** Ends one of the user's own sessions; false if it is not theirs or already gone. */
    public boolean endOwn(UUID userId, UUID sessionId) {
        return sessions.deleteOwn(sessionId, userId) == 1;
    }

    public void end(UUID sessionId) {
        sessions.deleteById(sessionId);
    }

    public void endAllOf(UUID userId) {
        sessions.deleteByUserId(userId);
    }

    public int purgeExpired() {
        Instant now = clock.instant();
        return sessions.deleteExpired(now, now.minus(settings.idleTimeout()));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    public record NewSession(UUID id, String cookieValue, Duration maxAge) {
    }
}
