package io.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Requests per minute: a burst up to the limit, then one more each 60/limit seconds; Retry-After in whole seconds. */
class TokenBucketTest {

    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

    @Test
    void allowsTheLimitAtOnceThenSaysHowLongToWait() {
        TokenBucket bucket = new TokenBucket(3, T0);

        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isEqualTo(20);
        assertThat(bucket.take(T0.plusSeconds(5))).isEqualTo(15);
    }

    @Test
    void refillsOneRequestPerSixtyOverLimitSecondsAndNeverBeyondTheLimit() {
        TokenBucket bucket = new TokenBucket(2, T0);
        bucket.take(T0);
        bucket.take(T0);

        assertThat(bucket.take(T0.plus(Duration.ofMillis(29_999)))).isEqualTo(1);
        assertThat(bucket.take(T0.plusSeconds(30))).isZero();
        assertThat(bucket.take(T0.plusSeconds(30))).isEqualTo(30);

        Instant muchLater = T0.plus(Duration.ofHours(3));
        assertThat(bucket.take(muchLater)).isZero();
        assertThat(bucket.take(muchLater)).isZero();
        assertThat(bucket.take(muchLater)).isPositive();
    }

    @Test
    void aClockGoingBackDoesNotRefill() {
        TokenBucket bucket = new TokenBucket(1, T0);
        bucket.take(T0);

        assertThat(bucket.take(T0.minusSeconds(120))).isPositive();
    }
}
