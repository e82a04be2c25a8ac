package io.gatehouse.access;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.OpaqueTokens;
import io.gatehouse.auth.User;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Invite links: an admin invites one email address with the roles they choose. The invite is the admin's
 * approval given in advance, so whoever accepts it (with that email, by password or SSO) is active at once
 * with those roles. Single use, expiring; only the token's SHA-256 is stored.
 */
@Singleton
public final class Invites {

    static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    static final Duration MAX_LIFETIME = Duration.ofDays(30);

    private final InviteRepository invites;
    private final RoleRepository roles;
    private final Clock clock;
    private final SecureRandom random;
    private final ChangeAudit changes;

    Invites(InviteRepository invites, RoleRepository roles, Clock clock, SecureRandom random, ChangeAudit changes) {
        this.changes = changes;
        this.invites = invites;
        this.roles = roles;
        this.clock = clock;
        this.random = random;
    }

    public record CreatedInvite(Invite invite, String token) {
    }

    public CreatedInvite create(Caller admin, String email, Collection<UUID> roleIds, Duration lifetime) {
        String normalized = io.gatehouse.auth.UserAccounts.checkedEmail(email);
        Duration valid = lifetime == null ? DEFAULT_LIFETIME : lifetime;
        if (valid.isNegative() || valid.isZero() || valid.compareTo(MAX_LIFETIME) > 0) {
            throw new GatehouseException.BadRequest("invalid-lifetime", "An invite is valid for 1 to 30 days.", "validDays");
        }
        for (UUID id : roleIds) {
            if (!roles.existsById(id)) {
                throw new GatehouseException.BadRequest("unknown-role", "There is no role with id " + id + ".", "roleIds");
            }
        }
        String token = OpaqueTokens.generate(random, "");
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        Invite invite = changes.around(admin.audit("invite.created").target("invite", id).detail("email", normalized)
                        .detail("role_ids", roleIds.stream().map(UUID::toString).toList()).detail("valid_days", valid.toDays()),
                () -> invites.save(new Invite(id, OpaqueTokens.hash(token), normalized,
                        roleIds.stream().map(UUID::toString).collect(Collectors.joining(",")), admin.userId(), now, now.plus(valid), null, null)));
        return new CreatedInvite(invite, token);
    }

    public List<Invite> recent() {
        return invites.recent();
    }

    public void withdraw(Caller admin, UUID id) {
        Invite invite = invites.findById(id).filter(i -> i.usedAt() == null).orElseThrow(Invites::notFound);
        changes.around(admin.audit("invite.revoked").target("invite", id).detail("email", invite.email()), () -> {
            if (invites.deleteUnused(id) != 1) {
                throw notFound(); // used or withdrawn meanwhile
            }
        });
    }

    private static GatehouseException notFound() {
        return new GatehouseException.NotFound("invite-not-found", "No unused invite with this id.");
    }

    /** The invite behind a link, if it can still be used. */
    public Optional<Invite> usable(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return invites.findByTokenHash(OpaqueTokens.hash(token)).filter(i -> i.usableAt(clock.instant()));
    }

    /** Uses the invite for this user; refused if it is used, expired, or for another email. */
    public Invite claim(String token, User user) {
        Invite invite = usable(token).orElseThrow(Invites::notUsable);
        if (!invite.email().equalsIgnoreCase(user.email())
                || invites.claim(invite.tokenHash(), user.email(), user.id(), clock.instant()) != 1) {
            throw notUsable();
        }
        return invite;
    }

    /** Checks, without using it, that the invite may be accepted by this email. */
    public Invite checkFor(String token, String email) {
        refusalFor(token, email).ifPresent(refusal -> {
            throw refusal.error();
        });
        return usable(token).orElseThrow(Invites::notUsable);
    }

    /** Why this email may not accept the invite ({@code invite_invalid}, {@code invite_other_email}); empty if it may. */
    public Optional<Refusal> refusalFor(String token, String email) {
        Optional<Invite> invite = usable(token);
        if (invite.isEmpty()) {
            return Optional.of(new Refusal("invite_invalid", notUsable()));
        }
        if (!invite.get().email().equalsIgnoreCase(email)) {
            return Optional.of(new Refusal("invite_other_email", new GatehouseException.Forbidden(
                    "This invite was sent to another email address. Sign in with the address it was sent to.")));
        }
        return Optional.empty();
    }

    private static GatehouseException notUsable() {
        return new GatehouseException.Forbidden("This invite link is invalid, expired or already used. Ask your administrator for a new one.");
    }
}
