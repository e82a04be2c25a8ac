package io.gatehouse.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops sending calls to a connector after {@value #THRESHOLD} consecutive transport failures, for
 * {@link #OPEN_FOR}; then lets one call through to probe. A model looping on a dead connector gets a fast,
 * clear "unavailable" instead of a timeout per call.
 */
final class CircuitBreaker {

    static final int THRESHOLD = 3;
    static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private record State(int failures, Instant openUntil) {
    }

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    CircuitBreaker(Clock clock) {
        this.clock = clock;
    }

    boolean allows(String connector) {
        State s = states.get(connector);
        return s == null || s.openUntil == null || !clock.instant().isBefore(s.openUntil);
    }

    void success(String connector) {
        states.remove(connector);
    }

    void failure(String connector) {
        states.compute(connector, (k, s) -> {
            int failures = s == null ? 1 : s.failures + 1;
            return new State(failures, failures >= THRESHOLD ? clock.instant().plus(OPEN_FOR) : null);
        });
    }
}
