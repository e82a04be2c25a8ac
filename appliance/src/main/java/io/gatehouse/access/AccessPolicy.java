package io.gatehouse.access;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.net.IDN;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
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

    AccessPolicy(AccessSettingsRepository settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public record Settings(boolean localSignup, boolean inviteOnly, List<String> allowedDomains) {
    }

    public Settings settings() {
        return new Settings(settings.localSignup(), settings.inviteOnly(), settings.domains());
    }

    public void update(boolean localSignup, boolean inviteOnly) {
        settings.update(localSignup, inviteOnly, clock.instant());
    }

    public String addDomain(String domain) {
        String normalized = normalizeDomain(domain);
        settings.addDomain(normalized, clock.instant());
        return normalized;
    }

    public void removeDomain(String domain) {
        if (settings.removeDomain(normalizeDomain(domain)) != 1) {
            throw new GatehouseException.NotFound("domain-not-found", "This domain is not on the list.");
        }
    }

    public boolean localSignupEnabled() {
        return settings.localSignup();
    }

    /** Refuses a sign-up without an invite, saying why in words the person can act on. */
    public void checkSelfSignup(String email) {
        if (settings.inviteOnly()) {
            throw new GatehouseException.Forbidden("Gatehouse is invite-only here. Ask your administrator for an invite.");
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!settings.domainAllowed(domain)) {
            throw new GatehouseException.Forbidden("Accounts for " + domain + " addresses are not open for sign-up here. "
                    + "Use your company address, or ask your administrator for an invite.");
        }
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
