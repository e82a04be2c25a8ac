package io.gatehouse.sso;

import io.gatehouse.access.AccountProvisioning.ExternalProfile;
import io.micronaut.core.annotation.Nullable;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Gatehouse takes from a provider's validated claims. A pure function, so the trust rules are easy to
 * test: the email counts only when the provider vouches for it ({@code email_verified}, or for Entra the
 * {@code xms_edov} "domain owner verified" optional claim); groups come from the configured claim only.
 */
final class ExternalProfiles {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalProfiles.class);
    private static final int MAX_GROUPS = 1_000;

    private ExternalProfiles() {
    }

    /** {@code claim} looks a claim up by name (ID token first, then UserInfo), null when absent. */
    static ExternalProfile from(IdentityProvider provider, String subject, Function<String, Object> claim) {
        String email = text(claim.apply("email"));
        boolean verified = isTrue(claim.apply("email_verified"))
                || (provider.providerKind() == ProviderKind.ENTRA && isTrue(claim.apply("xms_edov")));
        String name = text(claim.apply("name"));
        return new ExternalProfile(provider.id(), subject, email, verified, name, groups(provider, claim));
    }

    /**
     * The user's groups, or null when the provider sends none to go by (no group claim configured, or Entra's
     * "too many groups" overage marker): null leaves group-derived roles as they are, an empty list removes them.
     */
    @Nullable
    static List<String> groups(IdentityProvider provider, Function<String, Object> claim) {
        String name = provider.groupClaim();
        if (name == null || name.isBlank()) {
            return null;
        }
        Object value = claim.apply(name);
        if (value == null && claim.apply("_claim_names") instanceof Map<?, ?> overage && overage.containsKey(name)) {
            // Entra leaves the groups out when a user is in more than 200 and points at Graph instead.
            LOG.warn("Provider {} sent a group overage marker instead of '{}'; group roles are left unchanged. "
                    + "Assign the groups to the application in Entra so that only those are sent.", provider.slug(), name);
            return null;
        }
        Set<String> groups = new LinkedHashSet<>();
        switch (value) {
            case null -> { }
            case Collection<?> many -> many.forEach(g -> addGroup(groups, g));
            // Zitadel sends project roles as an object keyed by role name.
            case Map<?, ?> keyed -> keyed.keySet().forEach(g -> addGroup(groups, g));
            default -> addGroup(groups, value);
        }
        return List.copyOf(groups);
    }

    private static void addGroup(Set<String> groups, Object group) {
        String text = group == null ? null : text(group.toString());
        if (text != null && groups.size() < MAX_GROUPS) {
            groups.add(text);
        }
    }

    /** Some providers send booleans as strings ("true"); anything else is not a yes. */
    static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || (value instanceof String s && "true".equalsIgnoreCase(s.strip()));
    }

    @Nullable
    private static String text(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        return s.strip();
    }
}
