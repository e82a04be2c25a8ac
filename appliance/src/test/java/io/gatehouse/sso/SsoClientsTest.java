package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.oidc.client.AzureAd2Client;
import org.pac4j.oidc.client.GoogleOidcClient;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.AzureAd2OidcConfiguration;
import org.pac4j.oidc.config.OidcConfiguration;

/** The pac4j settings that make a sign-in safe, pinned per kind of provider (no network: clients are not initialised). */
class SsoClientsTest {

    private final SsoClients clients = new SsoClients(null, new SecureRandom(), java.time.Clock.systemUTC());

    @Test
    void everyClientUsesTheCodeFlowWithStateNoncePkceAndAQueryCallback() {
        for (ProviderKind kind : ProviderKind.values()) {
            OidcClient client = clients.build(provider(kind, discoveryFor(kind)));
            OidcConfiguration config = client.getConfiguration();

            assertThat(config.getResponseType()).as(kind.name()).isEqualTo("code");
            assertThat(config.getResponseMode()).as(kind.name()).isEqualTo("query");
            assertThat(config.isWithState()).isTrue();
            assertThat(config.isUseNonce()).isTrue();
            assertThat(config.getPkceMethod()).isEqualTo(CodeChallengeMethod.S256);
            assertThat(config.isDisablePkce()).isFalse();
            assertThat(config.isAllowUnsignedIdTokens()).isFalse();
            assertThat(config.getScope()).isEqualTo("openid email profile");
            assertThat(client.getCallbackUrl()).isEqualTo("/sso/acme/callback");
            assertThat(client.getCallbackUrlResolver()).isInstanceOf(NoParameterCallbackUrlResolver.class);
            assertThat(config.getStateGenerator().generateValue(null)).hasSize(43)
                    .isNotEqualTo(config.getStateGenerator().generateValue(null));
        }
    }

    @Test
    void entraUsesTheAzureAdV2ClientWithTheTenantsDiscoveryDocument() {
        OidcClient client = clients.build(provider(ProviderKind.ENTRA, ProviderKind.entraDiscovery("organizations")));

        assertThat(client).isInstanceOf(AzureAd2Client.class);
        assertThat(((AzureAd2OidcConfiguration) client.getConfiguration()).getTenant()).isEqualTo("organizations");
        assertThat(client.getConfiguration().getDiscoveryURI())
                .isEqualTo("https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration");
    }

    @Test
    void googleUsesGooglesOwnDiscoveryDocument() {
        OidcClient client = clients.build(provider(ProviderKind.GOOGLE, ProviderKind.GOOGLE_DISCOVERY));

        assertThat(client).isInstanceOf(GoogleOidcClient.class);
        assertThat(client.getConfiguration().getDiscoveryURI()).isEqualTo("https://accounts.google.com/.well-known/openid-configuration");
    }

    @Test
    void aGenericProviderUsesItsDiscoveryUrl() {
        OidcClient client = clients.build(provider(ProviderKind.OIDC, "https://sso.example.com/realms/corp/.well-known/openid-configuration"));

        assertThat(client.getClass()).isEqualTo(OidcClient.class);
        assertThat(client.getConfiguration().getDiscoveryURI()).isEqualTo("https://sso.example.com/realms/corp/.well-known/openid-configuration");
        assertThat(client.getConfiguration().getSecret()).isNull();
    }

    private static String discoveryFor(ProviderKind kind) {
        return switch (kind) {
            case GOOGLE -> ProviderKind.GOOGLE_DISCOVERY;
            case ENTRA -> ProviderKind.entraDiscovery("common");
            case OIDC -> "https://sso.example.com/.well-known/openid-configuration";
        };
    }

    private static IdentityProvider provider(ProviderKind kind, String discovery) {
        Instant now = Instant.parse("2026-11-25T09:00:00Z");
        return new IdentityProvider(UUID.randomUUID(), "acme", "Acme", kind.name(), discovery, "client-id", null,
                "openid email profile", null, true, now, now);
    }
}
