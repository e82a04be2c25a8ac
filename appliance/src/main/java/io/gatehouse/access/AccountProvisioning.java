package io.gatehouse.access;

import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a proven identity from an identity provider into a Gatehouse user: the one already linked to
 * that (provider, subject); else the account with the same <em>verified</em> email, which gets linked;
 * else a new account — active with the invite's roles when an invite is presented, otherwise pending
 * approval, and only for an allowed domain. Group-derived roles are recomputed on every sign-in.
 */
@Singleton
public class AccountProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(AccountProvisioning.class);

    /** What an identity provider asserted about a person, after its tokens were validated. */
    public record ExternalProfile(UUID providerId, String subject, String email, boolean emailVerified,
                                  @Nullable String displayName, @Nullable List<String> groups) {
    }

    private final ExternalIdentityRepository identities;
    private final UserRepository users;
    private final UserAccounts accounts;
    private final AccessPolicy policy;
    private final Invites invites;
    private final RoleAssignments roles;
    private final GroupRoleMappingRepository groupMappings;
    private final Clock clock;

    AccountProvisioning(ExternalIdentityRepository identities, UserRepository users, UserAccounts accounts, AccessPolicy policy,
                        Invites invites, RoleAssignments roles, GroupRoleMappingRepository groupMappings, Clock clock) {
        this.identities = identities;
        this.users = users;
        this.accounts = accounts;
        this.policy = policy;
        this.invites = invites;
        this.roles = roles;
        this.groupMappings = groupMappings;
        this.clock = clock;
    }

    /**
     * The user for this identity, created or linked as needed. {@code groups} null means the provider sends
     * no group claim, so group-derived roles are left as they are.
     */
    @Transactional
    public User userFor(ExternalProfile profile, @Nullable String inviteToken) {
        Optional<UUID> linked = identities.userFor(profile.providerId(), profile.subject());
        User user;
        if (linked.isPresent()) {
            identities.touch(profile.providerId(), profile.subject(), profile.email() == null ? "" : profile.email(), clock.instant());
            user = users.findById(linked.get()).orElseThrow();
        } else {
            user = linkOrCreate(profile, inviteToken);
        }
        if (profile.groups() != null) {
            List<UUID> mapped = profile.groups().isEmpty() ? List.of()
                    : groupMappings.findByGroupNameIn(profile.groups()).stream().map(GroupRoleMapping::roleId).distinct().toList();
            roles.setFromGroups(user.id(), mapped);
            user = users.findById(user.id()).orElseThrow();
        }
        return user;
    }

    private User linkOrCreate(ExternalProfile profile, @Nullable String inviteToken) {
        if (profile.email() == null || profile.email().isBlank() || !profile.emailVerified()) {
            throw new GatehouseException.Forbidden("Your identity provider did not confirm your email address, so Gatehouse "
                    + "cannot match it to an account. Ask your administrator to check the provider's email claims.");
        }
        String email = UserAccounts.checkedEmail(profile.email());
        Optional<User> existing = users.findByEmailIgnoreCase(email);
        User user;
        if (existing.isPresent()) {
            user = existing.get();
            LOG.info("Linked an identity of provider {} to existing user {} by verified email", profile.providerId(), user.id());
        } else if (inviteToken != null && !inviteToken.isBlank()) {
            Invite invite = invites.checkFor(inviteToken, email);
            user = accounts.createExternal(email, profile.displayName(), User.ACTIVE);
            invites.claim(inviteToken, user);
            roles.setManual(user.id(), invite.roles());
            user = users.findById(user.id()).orElseThrow();
            LOG.info("Created user {} from invite {} via provider {}", user.id(), invite.id(), profile.providerId());
        } else {
            policy.checkSelfSignup(email);
            user = accounts.createExternal(email, profile.displayName(), User.PENDING);
            LOG.info("Created pending user {} via provider {}", user.id(), profile.providerId());
        }
        identities.link(UUID.randomUUID(), profile.providerId(), profile.subject(), user.id(), email, clock.instant());
        return user;
    }
}
