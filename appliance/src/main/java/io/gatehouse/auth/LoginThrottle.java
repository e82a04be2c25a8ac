package io.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Locks out password guessing: after {@value #MAX_FAILURES_PER_ACCOUNT} failures for one email (known or
 * not, so the lock reveals nothing) or {@value #MAX_FAILURES_PER_IP} from one address within the window,
 * further attempts get 429 with Retry-After until the window passes. A success clears the account's count.
 */
@Singleton
final class LoginThrottle {

    static final int MAX_FAILURES_PER_ACCOUNT = 5;
    static final int MAX_FAILURES_PER_IP = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Clock clock;
    private final Cache<String, Failures> failures;

    LoginThrottle(Clock clock) {
        this.clock = clock;
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        this.failures = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(WINDOW).maximumSize(200_000).build();
    }

    void checkAllowed(String email, String ip) {
        check(accountKey(email), MAX_FAILURES_PER_ACCOUNT);
        check(ipKey(ip), MAX_FAILURES_PER_IP);
    }

    void recordFailure(String email, String ip) {
        Instant now = clock.instant();
        failures.asMap().merge(accountKey(email), new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
        failures.asMap().merge(ipKey(ip), new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
    }

    void recordSuccess(String email) {
        failures.invalidate(accountKey(email));
    }

    private void check(String key, int max) {
        Failures f = failures.getIfPresent(key);
        if (f != null && f.count >= max) {
            long retryAfter = Math.max(1, Duration.between(clock.instant(), f.last.plus(WINDOW)).toSeconds());
            throw new GatehouseException.TooManyRequests(
                    "Too many failed sign-in attempts. Try again in " + Math.ceilDiv(retryAfter, 60) + " minutes.", retryAfter);
        }
    }

    private static String accountKey(String email) {
        return "account:" + (email == null ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }

    private record Failures(int count, Instant last) {
    }
}
