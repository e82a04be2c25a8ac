package io.gatehouse.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The short state of a sign-in between "go to the identity provider" and its answer: pac4j's state, nonce
 * and PKCE code verifier plus where to go afterwards. Held in memory for ten minutes, keyed by a random value
 * in the {@value #COOKIE} cookie, and taken out by the first callback, so a replayed callback finds nothing.
 * In memory is enough: a sign-in starts and finishes on the same instance within minutes, and a restart
 * only means "start again".
 */
@Singleton
final class PreLoginStates {

    static final String COOKIE = "gh_sso";
    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Starting a sign-in needs no account; the bound keeps a flood of starts from growing memory without limit. */
    private static final int MAX_PENDING = 50_000;

    /** One started sign-in. {@code values} is pac4j's session for it (state, nonce, code verifier). */
    record PreLogin(String id, UUID providerId, String next, @Nullable String invite, Map<String, Object> values) {
    }

    private final Cache<String, PreLogin> pending;
    private final SecureRandom random;

    PreLoginStates(Clock clock, SecureRandom random) {
        this.random = random;
        this.pending = Caffeine.newBuilder()
                .expireAfterWrite(LIFETIME)
                .maximumSize(MAX_PENDING)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** A new, not yet stored sign-in; {@link #keep} stores it once the redirect to the provider is built. */
    PreLogin begin(UUID providerId, String next, @Nullable String invite) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return new PreLogin(Base64.getUrlEncoder().withoutPadding().encodeToString(id), providerId, next, invite,
                new ConcurrentHashMap<>());
    }

    void keep(PreLogin preLogin) {
        pending.put(preLogin.id(), preLogin);
    }

    /** The sign-in behind a cookie value, removed in the same step: it answers one callback only. */
    Optional<PreLogin> take(@Nullable String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(pending.asMap().remove(cookieValue));
    }
}
