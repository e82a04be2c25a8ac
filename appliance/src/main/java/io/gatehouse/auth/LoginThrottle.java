package io.gatehouse.auth;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * Password guessing: after {@value #DELAY_AFTER} failures for one email each try waits a growing delay;
 * at {@value #MAX_FAILURES_PER_ACCOUNT} for one email (known or not) or {@value #MAX_FAILURES_PER_IP} from
 * one address it is locked for {@link #WINDOW}. A success clears the account's count.
 */
@Singleton
final class LoginThrottle {

    static final int DELAY_AFTER = 3;
    static final int MAX_FAILURES_PER_ACCOUNT = 5;
    static final int MAX_FAILURES_PER_IP = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final FailureLimiter limiter;

    LoginThrottle(Clock clock) {
        this.limiter = new FailureLimiter("sign-in", clock, WINDOW);
    }

    void checkAllowed(String email, String ip) {
        limiter.check(FailureLimiter.Key.account(email, DELAY_AFTER, MAX_FAILURES_PER_ACCOUNT), FailureLimiter.Key.ip(ip, MAX_FAILURES_PER_IP));
    }

    void recordFailure(String email, String ip) {
        limiter.recordFailure(FailureLimiter.Key.account(email, DELAY_AFTER, MAX_FAILURES_PER_ACCOUNT), FailureLimiter.Key.ip(ip, MAX_FAILURES_PER_IP));
    }

    void recordSuccess(String email) {
        limiter.clear(FailureLimiter.Key.account(email, DELAY_AFTER, MAX_FAILURES_PER_ACCOUNT));
    }
}
