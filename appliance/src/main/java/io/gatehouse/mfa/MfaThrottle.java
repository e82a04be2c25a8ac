package io.gatehouse.mfa;

import io.gatehouse.auth.FailureLimiter;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * Guessing second-factor codes: a 6-digit code falls to about a million tries, so after {@value #DELAY_AFTER}
 * failures for one account each try waits a growing delay, and at {@value #MAX_FAILURES_PER_ACCOUNT} for
 * the account or {@value #MAX_FAILURES_PER_IP} from one address it is locked for {@link #WINDOW}. Counted
 * apart from password failures: someone who has the password must not get five more code guesses every
 * time a correct password clears the password counter.
 */
@Singleton
final class MfaThrottle {

    static final int DELAY_AFTER = 3;
    static final int MAX_FAILURES_PER_ACCOUNT = 5;
    static final int MAX_FAILURES_PER_IP = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final FailureLimiter limiter;

    MfaThrottle(Clock clock) {
        this.limiter = new FailureLimiter("verification code", clock, WINDOW);
    }

    /** Refuses with 429 and Retry-After while the account or the address is locked or in its delay. */
    void check(String email, String ip) {
        limiter.check(account(email), address(ip));
    }

    /** Counts a wrong code; true when this failure locked the account. */
    boolean recordFailure(String email, String ip) {
        limiter.recordFailure(account(email), address(ip));
        return accountLocked(email);
    }

    /** The same counter seen without its delay, so only the lock refuses. */
    boolean accountLocked(String email) {
        try {
            limiter.check(FailureLimiter.Key.account(email, Integer.MAX_VALUE, MAX_FAILURES_PER_ACCOUNT));
            return false;
        } catch (GatehouseException.TooManyRequests locked) {
            return true;
        }
    }

    void recordSuccess(String email) {
        limiter.clear(account(email));
    }

    private static FailureLimiter.Key account(String email) {
        return FailureLimiter.Key.account(email, DELAY_AFTER, MAX_FAILURES_PER_ACCOUNT);
    }

    private static FailureLimiter.Key address(String ip) {
        return FailureLimiter.Key.ip(ip, MAX_FAILURES_PER_IP);
    }
}
