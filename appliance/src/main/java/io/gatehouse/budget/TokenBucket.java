package io.gatehouse.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * Requests per minute as a token bucket: {@code perMinute} requests at once, then one more every
 * 60/{@code perMinute} seconds. Smoother than a fixed window (which lets twice the rate through across a minute's
 * edge) and a few fields per person. Time is passed in, so tests are exact.
 */
final class TokenBucket {

    private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

    private final int perMinute;
    /** Tokens, in units of 1/{@code NANOS_PER_MINUTE} of a request: integer arithmetic, no drift. */
    private long level;
    private Instant last;

    TokenBucket(int perMinute, Instant now) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be 1 or more");
        }
        this.perMinute = perMinute;
        this.level = full();
        this.last = now;
    }

    int perMinute() {
        return perMinute;
    }

    /** Takes one request: 0 when allowed, otherwise the whole seconds until one will be (at least 1). */
    synchronized long take(Instant now) {
        if (now.isAfter(last)) {
            long elapsed = Duration.between(last, now).toNanos();
            // perMinute requests per minute = perMinute units per nanosecond in these units; saturate at full.
            level = elapsed >= NANOS_PER_MINUTE ? full() : Math.min(full(), level + elapsed * perMinute);
            last = now;
        }
        if (level >= NANOS_PER_MINUTE) {
            level -= NANOS_PER_MINUTE;
            return 0;
        }
        long missingNanos = Math.ceilDiv(NANOS_PER_MINUTE - level, perMinute);
        return Math.max(1, Math.ceilDiv(missingNanos, 1_000_000_000L));
    }

    private long full() {
        return NANOS_PER_MINUTE * perMinute;
    }
}
