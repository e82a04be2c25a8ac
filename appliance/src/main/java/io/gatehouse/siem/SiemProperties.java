package io.gatehouse.siem;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the SIEM shipper runs (the destination itself is set on the admin page): how often it looks for new audit
 * rows when it has caught up ({@code gatehouse.siem.poll-interval}, 2s), the retry backoff after a failed batch
 * (doubling from {@code retry-initial}, 1s, up to {@code retry-max}, 60s), how long one batch may take
 * ({@code request-timeout}, 30s), how long a node's shipping lease lasts without renewal ({@code lease}, 2m; at
 * least twice the request timeout so a slow batch never loses it), and the syslog HOSTNAME ({@code hostname},
 * this machine's name).
 */
@ConfigurationProperties("gatehouse.siem")
record SiemProperties(@Bindable(defaultValue = "2s") Duration pollInterval, @Bindable(defaultValue = "1s") Duration retryInitial,
                      @Bindable(defaultValue = "60s") Duration retryMax, @Bindable(defaultValue = "30s") Duration requestTimeout,
                      @Bindable(defaultValue = "2m") Duration lease, @Nullable String hostname) {

    SiemProperties {
        positive(pollInterval, "poll-interval");
        positive(retryInitial, "retry-initial");
        positive(requestTimeout, "request-timeout");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("gatehouse.siem.retry-max (" + retryMax + ") must not be below retry-initial (" + retryInitial + ")");
        }
        if (lease.compareTo(requestTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("gatehouse.siem.lease (" + lease + ") must be at least twice request-timeout (" + requestTimeout + ")");
        }
    }

    /** The wait before the next try after {@code failures} failed batches in a row: doubling, capped. */
    Duration backoff(int failures) {
        Duration wait = retryInitial;
        for (int i = 1; i < failures && wait.compareTo(retryMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gatehouse.siem." + name + " must be positive, not " + value);
        }
    }
}
