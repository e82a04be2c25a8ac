package io.gatehouse.budget;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The budget rules that apply to a person and model, read once per {@value #TTL_SECONDS} seconds instead of on every
 * model call (the hot path). A budget change on this node clears it at once; role assignments, a role's default on
 * the Roles page and changes made on other nodes reach it within the same few seconds, as grants do.
 */
@Singleton
class BudgetRuleCache {

    static final int TTL_SECONDS = 5;

    private record Key(UUID userId, String model) {
    }

    private final LoadingCache<Key, List<RuleRow>> cache;

    BudgetRuleCache(BudgetRepository repository) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(TTL_SECONDS)).maximumSize(50_000)
                .build(key -> List.copyOf(repository.rulesFor(key.userId(), key.model())));
    }

    List<RuleRow> rulesFor(UUID userId, String model) {
        return cache.get(new Key(userId, model));
    }

    void clear() {
        cache.invalidateAll();
    }
}
