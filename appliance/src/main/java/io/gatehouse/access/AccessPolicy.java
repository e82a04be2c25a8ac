package io.gatehouse.access;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.net.IDN;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may ask for an account without an invite. Deny by default: only emails in an allowed domain, and
 * none at all in invite-only mode or while the domain list is empty. Local (password) sign-up is off
 * unless an admin turns it on; SSO sign-up follows the same domain and invite rules.
 */
@Singleton
public final class AccessPolicy {

    private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    private final AccessSettingsRepository settings;
    private final Clock clock;
    private final ChangeAudit changes;

    AccessPolicy(AccessSettingsRepository settings, Clock clock, ChangeAudit changes) {
        this.settings = settings;
        this.clock = clock;
        this.changes = changes;
    }

    public record Settings(boolean localSignup, boolean inviteOnly, List<String> allowedDomains) {
    }

    public Settings settings() {
        return new Settings(settings.localSignup(), settings.inviteOnly(), settings.domains());
    }

    public void update(Caller admin, boolean localSignup, boolean inviteOnly) {
        boolean wasLocalSignup = settings.localSignup();
        boolean wasInviteOnly = settings.inviteOnly();
        changes.around(admin.audit("access.settings_changed").target("access_settings", null)
                        .detail("local_signup", beforeAfter(wasLocalSignup, localSignup)).detail("invite_only", beforeAfter(wasInviteOnly, inviteOnly)),
                () -> settings.update(localSignup, inviteOnly, clock.instant()));
    }

    public String addDomain(Caller admin, String domain) {
        return addDomain(admin.audit("access.domain_added"), domain);
    }

    /** For the installation's own set-up (no admin behind it); recorded as done by the system. */
    public String addDomain(String domain) {
        return addDomain(AuditEvent.of("access.domain_added"), domain);
    }

    private String addDomain(AuditEvent.Builder event, String domain) {
        String normalized = normalizeDomain(domain);
        changes.around(event.target("domain", normalized), () -> settings.addDomain(normalized, clock.instant()));
        return normalized;
    }

    public void removeDomain(Caller admin, String domain) {
        String normalized = normalizeDomain(domain);
        if (!settings.domainAllowed(normalized)) {
            throw notListed();
        }
        int removed = changes.around(admin.audit("access.domain_removed").target("domain", normalized), () -> settings.removeDomain(normalized));
        if (removed != 1) {
            throw notListed(); // removed by someone else meanwhile
        }
    }

    private static GatehouseException notListed() {
        return new GatehouseException.NotFound("domain-not-found", "This domain is not on the list.");
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

    public boolean localSignupEnabled() {
        return settings.localSignup();
    }

    /** Why a sign-up without an invite is refused, in words the person can act on; empty if it is allowed. */
    public Optional<Refusal> selfSignupRefusal(String email) {
        if (settings.inviteOnly()) {
            return Optional.of(new Refusal("invite_only",
                    new GatehouseException.Forbidden("Gatehouse is invite-only here. Ask your administrator for an invite.")));
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!settings.domainAllowed(domain)) {
            return Optional.of(new Refusal("domain_not_allowed", new GatehouseException.Forbidden("Accounts for " + domain
                    + " addresses are not open for sign-up here. Use your company address, or ask your administrator for an invite.")));
        }
        return Optional.empty();
    }

    static String normalizeDomain(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("@")) {
            d = d.substring(1);
        }
        try {
            d = IDN.toASCII(d);
        } catch (IllegalArgumentException e) {
            throw invalidDomain();
        }
        if (!DOMAIN.matcher(d).matches()) {
            throw invalidDomain();
        }
        return d;
    }

    private static GatehouseException invalidDomain() {
        return new GatehouseException.BadRequest("invalid-domain", "Enter a domain such as example.com (no @, no scheme).", "domain");
    }
}
