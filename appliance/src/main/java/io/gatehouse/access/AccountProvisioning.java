package io.gatehouse.access;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.audit.Origin;
import io.gatehouse.auth.SignInAudit;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.license.LicenseSeats;
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
    private final LicenseSeats seats;
    private final Invites invites;
    private final RoleAssignments roles;
    private final GroupRoleMappingRepository groupMappings;
    private final Clock clock;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    AccountProvisioning(ExternalIdentityRepository identities, UserRepository users, UserAccounts accounts, AccessPolicy policy,
                        Invites invites, RoleAssignments roles, GroupRoleMappingRepository groupMappings, Clock clock,
                        AuditTrail audit, ChangeAudit changes, LicenseSeats seats) {
        this.seats = seats;
        this.identities = identities;
        this.users = users;
        this.accounts = accounts;
        this.policy = policy;
        this.invites = invites;
        this.roles = roles;
        this.groupMappings = groupMappings;
        this.clock = clock;
        this.audit = audit;
        this.changes = changes;
    }

    /** How the person came: {@code method} names the provider ({@code sso:<slug>}) in the audit rows, {@code origin} the request. */
    public record Attempt(String method, Origin origin) {
    }

    /**
     * The user for this identity, created or linked as needed. {@code groups} null means the provider sends
     * no group claim, so group-derived roles are left as they are. A link, a new account and a change of
     * group-derived roles each commit only with their audit row; a refusal is recorded with its reason.
     */
    @Transactional
    public User userFor(ExternalProfile profile, @Nullable String inviteToken, Attempt attempt) {
        Optional<UUID> linked = identities.userFor(profile.providerId(), profile.subject());
        User user;
        if (linked.isPresent()) {
            identities.touch(profile.providerId(), profile.subject(), profile.email() == null ? "" : profile.email(), clock.instant());
            user = users.findById(linked.get()).orElseThrow();
        } else {
            user = linkOrCreate(profile, inviteToken, attempt);
        }
        if (profile.groups() != null) {
            List<UUID> mapped = profile.groups().isEmpty() ? List.of()
                    : groupMappings.findByGroupNameIn(profile.groups()).stream().map(GroupRoleMapping::roleId).distinct().toList();
            List<Role> before = roles.groupRolesOf(user.id());
            roles.setFromGroups(user.id(), mapped);
            List<Role> after = roles.groupRolesOf(user.id());
            if (!RoleChanges.added(before, after).isEmpty() || !RoleChanges.removed(before, after).isEmpty()) {
                changes.record(SignInAudit.event("user.roles_changed", user.id(), profile.email(), attempt.origin()).target("user", user.id())
                        .detail("source", "GROUP").detail("method", attempt.method())
                        .detail("added", RoleChanges.added(before, after)).detail("removed", RoleChanges.removed(before, after)));
            }
            user = users.findById(user.id()).orElseThrow();
        }
        return user;
    }

    private User linkOrCreate(ExternalProfile profile, @Nullable String inviteToken, Attempt attempt) {
        if (profile.email() == null || profile.email().isBlank() || !profile.emailVerified()) {
            denied("auth.sign_in", profile, attempt, "unverified_email");
            throw new GatehouseException.Forbidden("Your identity provider did not confirm your email address, so Gatehouse "
                    + "cannot match it to an account. Ask your administrator to check the provider's email claims.");
        }
        String email;
        try {
            email = UserAccounts.checkedEmail(profile.email());
        } catch (GatehouseException.BadRequest invalid) {
            denied("auth.sign_in", profile, attempt, "invalid_email");
            throw invalid;
        }
        Optional<User> existing = users.findByEmailIgnoreCase(email);
        User user;
        AuditEvent.Builder event;
        if (existing.isPresent()) {
            user = existing.get();
            event = SignInAudit.event("user.identity_linked", user.id(), profile.email(), attempt.origin()).target("user", user.id())
                    .detail("by", "verified_email");
            LOG.info("Linked an identity of provider {} to existing user {} by verified email", profile.providerId(), user.id());
        } else if (inviteToken != null && !inviteToken.isBlank()) {
            Optional<Refusal> refusal = invites.refusalFor(inviteToken, email);
            if (refusal.isPresent()) {
                denied("invite.accepted", profile, attempt, refusal.get().reason());
                throw refusal.get().error();
            }
            Invite invite = invites.checkFor(inviteToken, email);
            // An invite makes the person active at once, so it takes a seat.
            seats.requireFreeSeat(SignInAudit.event("invite.accepted", null, profile.email(), attempt.origin()).target("invite", invite.id())
                    .detail("method", attempt.method()).detail("provider_id", profile.providerId()));
            user = accounts.createExternal(email, profile.displayName(), User.ACTIVE);
            invites.claim(inviteToken, user);
            roles.setManual(user.id(), invite.roles());
            user = users.findById(user.id()).orElseThrow();
            event = SignInAudit.event("invite.accepted", user.id(), profile.email(), attempt.origin()).target("invite", invite.id())
                    .detail("user_id", user.id()).detail("role_ids", invite.roles().stream().map(UUID::toString).toList());
            LOG.info("Created user {} from invite {} via provider {}", user.id(), invite.id(), profile.providerId());
        } else {
            Optional<Refusal> refusal = policy.selfSignupRefusal(email);
            if (refusal.isPresent()) {
                denied("user.signed_up", profile, attempt, refusal.get().reason());
                throw refusal.get().error();
            }
            user = accounts.createExternal(email, profile.displayName(), User.PENDING);
            event = SignInAudit.event("user.signed_up", user.id(), profile.email(), attempt.origin()).target("user", user.id())
                    .detail("status", user.status());
            LOG.info("Created pending user {} via provider {}", user.id(), profile.providerId());
        }
        identities.link(UUID.randomUUID(), profile.providerId(), profile.subject(), user.id(), email, clock.instant());
        changes.record(event.detail("method", attempt.method()).detail("provider_id", profile.providerId()).detail("subject", profile.subject()));
        return user;
    }

    private void denied(String action, ExternalProfile profile, Attempt attempt, String reason) {
        audit.record(SignInAudit.event(action, null, profile.email(), attempt.origin()).denied().detail("method", attempt.method())
                .detail("provider_id", profile.providerId()).detail("subject", profile.subject()).detail("reason", reason));
    }
}
