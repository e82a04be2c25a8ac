package io.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.error.GatehouseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Slows then stops guessing (passwords, TOTP codes, sign-ups, API tokens). Failures are counted per key —
 * an account, an IP address — in a Caffeine cache that forgets a key {@code window} after its last
 * failure. From a key's {@code delayAfter} failures on, each further try must wait 1, 2, 4 ... s (capped at a
 * minute) after the last failure; at a key's maximum it is locked until the window passes. Both answer 429
 * with Retry-After. Counting an unknown account exactly like a known one keeps the lock from revealing
 * which accounts exist.
 */
public final class FailureLimiter {

    /**
     * One counter: {@code scope} names what is counted ("account", "ip"); from {@code delayAfter} failures
     * each try waits, at {@code max} the key is locked.
     */
    public record Key(String scope, String value, int delayAfter, int max) {
        /** An account: slowed after a few failures, then locked. */
        public static Key account(String email, int delayAfter, int max) {
            return new Key("account", email == null ? "" : email.strip().toLowerCase(Locale.ROOT), delayAfter, max);
        }

        /**
         * An address: locked only. Many people share an office NAT address, so slowing every try from it
         * after a handful of typos would punish all of them; the higher lock still stops a spray.
         */
        public static Key ip(String ip, int max) {
            return new Key("ip", ip == null ? "" : ip, Integer.MAX_VALUE, max);
        }

        String id() {
            return scope + ":" + value;
        }
    }

    private static final Duration MAX_DELAY = Duration.ofMinutes(1);

    private final String action;
    private final Clock clock;
    private final Duration window;
    private final Cache<String, Failures> failures;

    /** @param action what is being limited, for the message ("sign-in", "verification code") */
    public FailureLimiter(String action, Clock clock, Duration window) {
        this.action = action;
        this.clock = clock;
        this.window = window;
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        this.failures = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(window).maximumSize(200_000).build();
    }

    public Duration window() {
        return window;
    }

    /** Refuses with 429 and Retry-After while any of the keys is locked or still in its delay. */
    public void check(Key... keys) {
        Instant now = clock.instant();
        for (Key key : keys) {
            Failures f = failures.getIfPresent(key.id());
            if (f == null) {
                continue;
            }
            if (f.count >= key.max()) {
                throw refused(Duration.between(now, f.last.plus(window)), true);
            }
            if (f.count >= key.delayAfter()) {
                Duration delay = Duration.ofSeconds(1L << Math.min(f.count - key.delayAfter(), 6));
                Instant allowedAt = f.last.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
                if (now.isBefore(allowedAt)) {
                    throw refused(Duration.between(now, allowedAt), false);
                }
            }
        }
    }

    public void recordFailure(Key... keys) {
        Instant now = clock.instant();
        for (Key key : keys) {
            failures.asMap().merge(key.id(), new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
        }
    }

    public void clear(Key key) {
        failures.invalidate(key.id());
    }

    private GatehouseException refused(Duration wait, boolean locked) {
        long seconds = Math.max(1, Math.ceilDiv(wait.toMillis(), 1000));
        String when = seconds < 120 ? seconds + " seconds" : Math.ceilDiv(seconds, 60) + " minutes";
        return new GatehouseException.TooManyRequests((locked ? LOCKED + action + " attempts. "
                : "Slow down: wait between " + action + " attempts. ") + "Try again in " + when + ".", seconds);
    }

    private static final String LOCKED = "Too many failed ";

    /** For the audit trail: {@code locked} when the key reached its maximum, {@code throttled} while it is only slowed. */
    public static String reason(GatehouseException.TooManyRequests refusal) {
        return refusal.getMessage().startsWith(LOCKED) ? "locked" : "throttled";
    }

    private record Failures(int count, Instant last) {
    }
}
