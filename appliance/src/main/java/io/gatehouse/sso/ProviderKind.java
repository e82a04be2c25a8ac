package io.gatehouse.sso;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The three ways of configuring a provider; each picks its pac4j client in {@link SsoClients}. */
enum ProviderKind {
    GOOGLE,
    /** Microsoft Entra ID (Azure AD v2 endpoints), single-tenant or multi-tenant. */
    ENTRA,
    /** Any OpenID Connect provider with a discovery document: Keycloak, Okta, Authentik, Zitadel ... */
    OIDC;

    static final String GOOGLE_DISCOVERY = "https://accounts.google.com/.well-known/openid-configuration";

    private static final Pattern ENTRA_DISCOVERY = Pattern.compile(
            "^https://login\\.microsoftonline\\.com/([^/]+)/v2\\.0/\\.well-known/openid-configuration$");

    static Optional<ProviderKind> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String entraDiscovery(String tenant) {
        return "https://login.microsoftonline.com/" + tenant + "/v2.0/.well-known/openid-configuration";
    }

    static String tenantOf(String entraDiscoveryUrl) {
        Matcher m = ENTRA_DISCOVERY.matcher(entraDiscoveryUrl);
        return m.matches() ? m.group(1) : null;
    }
}
