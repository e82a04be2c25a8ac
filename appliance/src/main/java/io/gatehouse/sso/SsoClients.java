package io.gatehouse.sso;

import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.redirect.RedirectionActionBuilder;
import org.pac4j.core.http.ajax.AjaxRequestResolver;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.util.generator.ValueGenerator;
import org.pac4j.oidc.client.AzureAd2Client;
import org.pac4j.oidc.client.GoogleOidcClient;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.AzureAd2OidcConfiguration;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.metadata.AzureAdOpMetadataResolver;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns provider rows into configured pac4j clients and keeps them, so the discovery document is read once
 * rather than per sign-in. A client is rebuilt when its row changes (the fingerprint covers every field it is
 * built from, including the freshly sealed secret), once a day to pick up a changed discovery document, and
 * dropped when the row is deleted. Signing keys are refreshed by the JWKS source itself when a new key id
 * appears.
 */
@Singleton
final class SsoClients {

    private static final Logger LOG = LoggerFactory.getLogger(SsoClients.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    static final Duration METADATA_LIFETIME = Duration.ofHours(24);

    private record Built(String fingerprint, OidcClient client, Instant at) {
    }

    private final SecretBox secrets;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<UUID, Built> built = new ConcurrentHashMap<>();

    SsoClients(SecretBox secrets, SecureRandom random, Clock clock) {
        this.secrets = secrets;
        this.random = random;
        this.clock = clock;
    }

    /** The ready client for this provider; reads its discovery document the first time. */
    OidcClient clientFor(IdentityProvider provider) {
        String fingerprint = fingerprint(provider);
        Built current = built.get(provider.id());
        Instant now = clock.instant();
        if (current != null && current.fingerprint().equals(fingerprint) && now.isBefore(current.at().plus(METADATA_LIFETIME))) {
            return current.client();
        }
        OidcClient client = build(provider);
        try {
            client.init();
        } catch (RuntimeException e) {
            LOG.warn("Identity provider {} ({}) could not be set up: {}", provider.slug(), discoveryOf(client), LogSafe.describe(e));
            throw new GatehouseException.Unavailable(HttpStatus.BAD_GATEWAY, "identity-provider-unreachable",
                    "Gatehouse could not read the sign-in settings of " + provider.displayName() + " from its discovery document. "
                            + "Try again in a minute; if it keeps failing, ask your administrator to check the provider's "
                            + "discovery URL and that Gatehouse can reach it.");
        }
        built.put(provider.id(), new Built(fingerprint, client, now));
        return client;
    }

    void forget(UUID providerId) {
        built.remove(providerId);
    }

    /** The configured, not yet initialised client (no network): the settings that make sign-in safe live here. */
    OidcClient build(IdentityProvider provider) {
        ProviderKind kind = provider.providerKind();
        OidcConfiguration config;
        if (kind == ProviderKind.ENTRA) {
            // pac4j's Azure AD v2 support validates the issuer of multi-tenant ("common", "organizations")
            // tokens against the tenant in the token, since the discovery document's issuer is a template.
            AzureAd2OidcConfiguration entra = new EntraConfiguration();
            entra.setTenant(provider.entraTenant());
            config = entra;
        } else {
            config = new StandardConfiguration();
            config.setDiscoveryURI(kind == ProviderKind.GOOGLE ? ProviderKind.GOOGLE_DISCOVERY : provider.discoveryUrl());
        }
        config.setClientId(provider.clientId());
        if (provider.clientSecretCipher() != null) {
            config.setSecret(secrets.open(provider.clientSecretCipher(), IdentityProvider.secretContext(provider.id())));
        }
        config.setScope(provider.scopes());
        config.setResponseType("code");
        // Query, never form_post: the callback must be a GET, as the same-origin filter refuses cross-site POSTs.
        config.setResponseMode("query");
        config.setWithState(true);
        config.setUseNonce(true);
        config.setPkceMethod(CodeChallengeMethod.S256);
        config.setStateGenerator(randomValues());
        config.setCodeVerifierGenerator(randomValues());
        config.setConnectTimeout(CONNECT_TIMEOUT_MS);
        config.setReadTimeout(READ_TIMEOUT_MS);

        OidcClient client = switch (kind) {
            case GOOGLE -> new GoogleOidcClient(config);
            case ENTRA -> new AzureAd2Client((AzureAd2OidcConfiguration) config);
            case OIDC -> new OidcClient(config);
        };
        client.setName(provider.slug());
        client.setCallbackUrl(PublicBase.callbackPath(provider.slug()));
        // The redirect URI is exactly <public base>/sso/<slug>/callback: no client_name parameter, no path suffix.
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setUrlResolver((url, context) -> ((SsoWebContext) context).publicBase() + url);
        client.setAjaxRequestResolver(NEVER_AJAX);
        // Each sign-in has its own single-use state; pac4j's "already tried once" memory would only get in the way.
        client.setCheckAuthenticationAttempt(false);
        return client;
    }

    /** 32 bytes from the portal's SecureRandom: 43 URL-safe characters, as long as PKCE's verifier minimum. */
    private ValueGenerator randomValues() {
        return ctx -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
    }

    private static String fingerprint(IdentityProvider p) {
        return String.join("\n", p.slug(), p.kind(), p.discoveryUrl(), p.clientId(), p.scopes(),
                p.clientSecretCipher() == null ? "" : Base64.getEncoder().encodeToString(p.clientSecretCipher()));
    }

    private static String discoveryOf(OidcClient client) {
        return client.getConfiguration() == null ? "?" : client.getConfiguration().getDiscoveryURI();
    }

    /*
     * pac4j's metadata resolver asks the discovery URL whether it changed (an HTTP HEAD) every time a sign-in
     * step reads the metadata, several times per sign-in; a failing HEAD even forces a reload mid-sign-in.
     * These configurations load it once per client instead; clientFor rebuilds clients daily.
     */
    private static final class StandardConfiguration extends OidcConfiguration {
        @Override
        protected OidcOpMetadataResolver createNewOpMetadataResolver() {
            return new OidcOpMetadataResolver(this) {
                @Override
                public boolean hasChanged() {
                    return false;
                }
            };
        }
    }

    private static final class EntraConfiguration extends AzureAd2OidcConfiguration {
        @Override
        protected OidcOpMetadataResolver createNewOpMetadataResolver() {
            return new AzureAdOpMetadataResolver(this) {
                @Override
                public boolean hasChanged() {
                    return false;
                }
            };
        }
    }

    /** Sign-in is always a top-level navigation; an XHR header must not turn the redirect into a 401. */
    private static final AjaxRequestResolver NEVER_AJAX = new AjaxRequestResolver() {
        @Override
        public boolean isAjax(CallContext ctx) {
            return false;
        }

        @Override
        public HttpAction buildAjaxResponse(CallContext ctx, RedirectionActionBuilder builder) {
            throw new IllegalStateException("never an AJAX request");
        }
    };
}
