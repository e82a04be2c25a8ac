package io.gatehouse.auth;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Personal API tokens ({@code gh_...}) for the OpenAI-compatible API. The token is shown once; only its
 * SHA-256 is stored. Resolved tokens are cached so the database stays off the per-call path: a token in use
 * is re-read in the background every {@link #CACHE_TTL} (no request waits for it), an unused one is dropped
 * after a minute. Revocation on this node clears the cache at once; other nodes follow within about
 * {@link #CACHE_TTL}. The "last used" time is written in the background, at most once a minute.
 */
@Singleton
public final class ApiTokenService {

    public static final String PREFIX = "gh_";
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration MARK_USED_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_TOKENS_PER_USER = 50;

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final Clock clock;
    private final SecureRandom random;
    private final LoadingCache<ByteBuffer, Resolved> cache;
    private final ChangeAudit changes;

    ApiTokenService(ApiTokenRepository tokens, UserRepository users, Clock clock, SecureRandom random, ChangeAudit changes) {
        this.changes = changes;
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
        this.random = random;
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(CACHE_TTL)
                .expireAfterWrite(Duration.ofMinutes(1))
                .maximumSize(50_000)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build(key -> lookup(key.array()));
    }

    public CreatedToken create(Caller owner, String name) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 100) {
            throw new GatehouseException.BadRequest("invalid-token-name", "Give the token a name of 1 to 100 characters.");
        }
        if (tokens.findActiveByUser(owner.userId()).size() >= MAX_TOKENS_PER_USER) {
            throw new GatehouseException.Conflict("too-many-tokens",
                    "You already have " + MAX_TOKENS_PER_USER + " active tokens. Revoke one you no longer use.");
        }
        String secret = OpaqueTokens.generate(random, PREFIX);
        UUID id = UUID.randomUUID();
        ApiToken token = changes.around(owner.audit("auth.token_created").target("api_token", id).detail("name", label),
                () -> tokens.save(new ApiToken(id, owner.userId(), label, OpaqueTokens.hash(secret),
                        secret.substring(0, PREFIX.length() + 6), clock.instant(), null, null)));
        return new CreatedToken(token, secret);
    }

    public List<ApiToken> listActive(UUID userId) {
        return tokens.findActiveByUser(userId);
    }

    public void revoke(Caller owner, UUID tokenId) {
        Optional<ApiToken> token = tokens.findById(tokenId).filter(t -> t.userId().equals(owner.userId()));
        if (token.isEmpty() || tokens.revoke(tokenId, owner.userId(), clock.instant()) != 1) {
            throw new GatehouseException.NotFound("token-not-found", "No active token with this id belongs to you.");
        }
        cache.invalidate(ByteBuffer.wrap(token.get().tokenHash()));
        changes.afterAccessRemoved(owner.audit("auth.token_revoked").target("api_token", tokenId).detail("name", token.get().name()));
    }

    /**
     * Revokes every token of the user (the user was disabled or rejected) and drops them from this node's
     * cache at once, so the very next call with any of them is refused here.
     */
    public int revokeAllOf(UUID userId) {
        int revoked = tokens.revokeAllOf(userId, clock.instant());
        cache.asMap().entrySet().removeIf(e -> e.getValue().caller != null && e.getValue().caller.userId().equals(userId));
        return revoked;
    }

    /**
     * The caller behind a token only if it is already cached and valid; never touches the database, so it
     * may run on the event loop. Empty means "look it up with {@link #resolve}".
     */
    public Optional<Caller> resolveCached(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Resolved resolved = cache.getIfPresent(ByteBuffer.wrap(OpaqueTokens.hash(bearer)));
        if (resolved == null || resolved.caller == null || needsMark(resolved)) {
            return Optional.empty();
        }
        return Optional.of(resolved.caller);
    }

    private boolean needsMark(Resolved resolved) {
        return resolved.lastMarked == null || Duration.between(resolved.lastMarked, clock.instant()).compareTo(MARK_USED_INTERVAL) >= 0;
    }

    /** The caller behind a bearer token, or empty if the token is unknown, revoked, or its user disabled. */
    public Optional<Caller> resolve(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) {
            return Optional.empty();
        }
        ByteBuffer key = ByteBuffer.wrap(OpaqueTokens.hash(bearer));
        Resolved resolved = cache.get(key);
        if (resolved.caller == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (needsMark(resolved)) {
            cache.put(key, new Resolved(resolved.caller, now));
            UUID tokenId = resolved.caller.credentialId();
            Thread.ofVirtual().name("token-last-used").start(() -> tokens.markUsed(tokenId, now));
        }
        return Optional.of(resolved.caller);
    }

    private Resolved lookup(byte[] hash) {
        return tokens.findByTokenHash(hash)
                .filter(t -> t.revokedAt() == null)
                .flatMap(t -> users.findById(t.userId()).filter(User::active)
                        .map(u -> new Resolved(new Caller(u.id(), u.email(), u.displayName(), u.admin(),
                                Caller.Channel.API_TOKEN, t.id(), Caller.Access.FULL), t.lastUsedAt())))
                .orElse(new Resolved(null, null));
    }

    public record CreatedToken(ApiToken token, String secret) {
    }

    private record Resolved(Caller caller, Instant lastMarked) {
    }
}
