package io.gatehouse.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat requests per minute per person. The settings (installation default, per-person overrides) are held in
 * memory and reloaded every few seconds, so the check never reads the database on the request path; a change on
 * this node applies at once, on other nodes within {@value #RELOAD_SECONDS} s.
 *
 * <p>The counting is per node (one Caffeine cache of token buckets): with N portal nodes behind a load balancer a
 * person can make up to N times their rate in total. It protects each node and the providers from a runaway
 * script; spend is capped exactly by the budgets, which are counted in the database.
 */
@Singleton
class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    static final int RELOAD_SECONDS = 5;

    private record Settings(int defaultPerMinute, Map<UUID, Integer> perUser) {
    }

    private final BudgetRepository repository;
    private final Clock clock;
    private final Cache<UUID, TokenBucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5)) // idle a minute or more: the bucket is full again anyway
            .maximumSize(100_000)
            .build();
    private volatile Settings settings = new Settings(0, Map.of());

    RateLimits(BudgetRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        reload();
    }

    /** The requests per minute this person may make; 0 for no limit. */
    int perMinute(UUID userId) {
        Settings s = settings;
        Integer own = s.perUser().get(userId);
        return own != null ? own : s.defaultPerMinute();
    }

    /** Counts one request: 0 when it may go ahead, otherwise the seconds until it may (Retry-After). */
    long take(UUID userId) {
        int perMinute = perMinute(userId);
        if (perMinute <= 0) {
            return 0;
        }
        TokenBucket bucket = buckets.asMap().compute(userId, (id, current) ->
                current != null && current.perMinute() == perMinute ? current : new TokenBucket(perMinute, clock.instant()));
        return bucket.take(clock.instant());
    }

    @Scheduled(fixedDelay = RELOAD_SECONDS + "s", initialDelay = RELOAD_SECONDS + "s")
    void reload() {
        try {
            int fallback = repository.defaultRate().orElse(0);
            Map<UUID, Integer> perUser = repository.userRates().stream()
                    .collect(Collectors.toUnmodifiableMap(BudgetRepository.UserRate::userId, BudgetRepository.UserRate::requestsPerMinute));
            settings = new Settings(fallback, perUser);
        } catch (RuntimeException e) {
            // Keep the last settings: a database hiccup must not switch every limit off (or on).
            LOG.warn("Could not reload the rate limits; keeping the last ones: {}", e.getMessage());
        }
    }
}
