package io.gatehouse.access;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * A person's effective grants, cached: the chat turn asks on every model call and tool dispatch. Any admin
 * change to roles, grants or a person's roles clears the cache on this node at once; other nodes follow
 * within {@link #TTL}.
 */
@Singleton
public final class GrantResolver {

    static final Duration TTL = Duration.ofSeconds(5);

    private final GrantRepository grants;
    private final LoadingCache<UUID, Grants> cache;

    GrantResolver(GrantRepository grants) {
        this.grants = grants;
        this.cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(50_000).build(this::load);
    }

    public Grants of(UUID userId) {
        return cache.get(userId);
    }

    public void invalidate(UUID userId) {
        cache.invalidate(userId);
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }

    private Grants load(UUID userId) {
        List<UUID> roles = grants.roleIdsOf(userId);
        if (roles.isEmpty()) {
            return Grants.none(userId);
        }
        List<ToolGrant> tools = grants.toolGrantsOf(roles).stream().map(GrantResolver::toGrant).toList();
        return new Grants(userId, roles, new HashSet<>(grants.modelsOf(roles)), tools, grants.promptsOf(roles));
    }

    static ToolGrant toGrant(GrantRepository.ToolGrantRow row) {
        return new ToolGrant(row.connectorName(), row.toolName(), "ACTION".equals(row.access()),
                row.trustLevel() == null ? null : TrustLevel.valueOf(row.trustLevel()), row.maxCallsPerDay(), row.argumentLimits(),
                row.approver() == null ? null : ToolGrant.Approver.valueOf(row.approver()));
    }
}
