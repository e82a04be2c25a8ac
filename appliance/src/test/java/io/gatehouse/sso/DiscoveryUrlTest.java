package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.error.GatehouseException;
import org.junit.jupiter.api.Test;

/** Which discovery URLs an admin may enter: https anywhere, plain http only on loopback; issuers are completed. */
class DiscoveryUrlTest {

    @Test
    void anIssuerUrlIsCompletedToItsDiscoveryDocument() {
        assertThat(IdentityProviderAdmin.discoveryUrl("https://sso.example.com/realms/corp"))
                .isEqualTo("https://sso.example.com/realms/corp/.well-known/openid-configuration");
        assertThat(IdentityProviderAdmin.discoveryUrl(" https://sso.example.com/realms/corp/ "))
                .isEqualTo("https://sso.example.com/realms/corp/.well-known/openid-configuration");
        assertThat(IdentityProviderAdmin.discoveryUrl("https://acme.okta.com/.well-known/openid-configuration"))
                .isEqualTo("https://acme.okta.com/.well-known/openid-configuration");
    }

    @Test
    void plainHttpIsAcceptedOnlyForLoopback() {
        assertThat(IdentityProviderAdmin.discoveryUrl("http://localhost:8180/realms/dev")).startsWith("http://localhost:8180/");
        assertThat(IdentityProviderAdmin.discoveryUrl("http://127.0.0.1:9000/issuer")).startsWith("http://127.0.0.1:9000/");
        assertThat(IdentityProviderAdmin.discoveryUrl("http://[::1]:9000/issuer")).startsWith("http://[::1]:9000/");
        for (String bad : new String[] {"http://sso.example.com/realms/corp", "http://127.0.0.1.example.com/x",
                "ftp://sso.example.com/", "https://user:pw@sso.example.com/", "https://sso.example.com/?a=b",
                "https://sso.example.com/#x", "sso.example.com", "", "https://"}) {
            assertThatThrownBy(() -> IdentityProviderAdmin.discoveryUrl(bad)).as(bad)
                    .isInstanceOfSatisfying(GatehouseException.BadRequest.class, e -> assertThat(e.field()).isEqualTo("discoveryUrl"));
        }
    }
}
