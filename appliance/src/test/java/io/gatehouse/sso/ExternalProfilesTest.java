package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.AccountProvisioning.ExternalProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The trust rules for claims, exhaustively: which email counts as verified, and what the groups are. */
class ExternalProfilesTest {

    @Test
    void anEmailCountsAsVerifiedOnlyWhenTheProviderSaysSo() {
        IdentityProvider keycloak = provider(ProviderKind.OIDC, null);

        assertThat(profile(keycloak, Map.of("email", "a@example.com", "email_verified", true)).emailVerified()).isTrue();
        assertThat(profile(keycloak, Map.of("email", "a@example.com", "email_verified", "true")).emailVerified()).isTrue();
        assertThat(profile(keycloak, Map.of("email", "a@example.com", "email_verified", false)).emailVerified()).isFalse();
        assertThat(profile(keycloak, Map.of("email", "a@example.com", "email_verified", "yes")).emailVerified()).isFalse();
        assertThat(profile(keycloak, Map.of("email", "a@example.com")).emailVerified()).isFalse();
    }

    @Test
    void entrasDomainOwnerVerifiedClaimCountsForEntraOnly() {
        Map<String, Object> claims = Map.of("email", "a@contoso.com", "xms_edov", true);

        assertThat(profile(provider(ProviderKind.ENTRA, null), claims).emailVerified()).isTrue();
        assertThat(profile(provider(ProviderKind.OIDC, null), claims).emailVerified()).isFalse();
        assertThat(profile(provider(ProviderKind.GOOGLE, null), claims).emailVerified()).isFalse();
        assertThat(profile(provider(ProviderKind.ENTRA, null), Map.of("email", "a@contoso.com", "xms_edov", false)).emailVerified()).isFalse();
    }

    @Test
    void theProfileCarriesSubjectEmailAndName() {
        IdentityProvider p = provider(ProviderKind.OIDC, null);

        ExternalProfile profile = profile(p, Map.of("email", "  a@example.com ", "email_verified", true, "name", "Ada"));

        assertThat(profile.providerId()).isEqualTo(p.id());
        assertThat(profile.subject()).isEqualTo("subject-1");
        assertThat(profile.email()).isEqualTo("a@example.com");
        assertThat(profile.displayName()).isEqualTo("Ada");
        assertThat(profile(p, Map.of("email", 42)).email()).isNull();
    }

    @Test
    void withoutAGroupClaimConfiguredGroupsAreUnknown() {
        assertThat(profile(provider(ProviderKind.OIDC, null), Map.of("groups", List.of("a"))).groups()).isNull();
    }

    @Test
    void groupsComeFromTheConfiguredClaimInEveryShapeProvidersUse() {
        IdentityProvider p = provider(ProviderKind.OIDC, "groups");

        assertThat(profile(p, Map.of("groups", List.of("a", "b", "a", " ", 7))).groups()).containsExactly("a", "b", "7");
        assertThat(profile(p, Map.of("groups", "solo")).groups()).containsExactly("solo");
        assertThat(profile(p, Map.of("groups", Map.of("role-x", Map.of("org", "x")))).groups()).containsExactly("role-x");
        assertThat(profile(p, Map.of()).groups()).isEmpty();
        assertThat(profile(p, Map.of("roles", List.of("a"))).groups()).isEmpty();
    }

    @Test
    void entrasGroupOverageLeavesGroupRolesAlone() {
        IdentityProvider entra = provider(ProviderKind.ENTRA, "groups");

        ExternalProfile profile = profile(entra, Map.of("_claim_names", Map.of("groups", "src1")));

        assertThat(profile.groups()).isNull();
    }

    private static ExternalProfile profile(IdentityProvider provider, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        return ExternalProfiles.from(provider, "subject-1", all::get);
    }

    private static IdentityProvider provider(ProviderKind kind, String groupClaim) {
        Instant now = Instant.parse("2026-11-25T09:00:00Z");
        String discovery = switch (kind) {
            case GOOGLE -> ProviderKind.GOOGLE_DISCOVERY;
            case ENTRA -> ProviderKind.entraDiscovery("organizations");
            case OIDC -> "https://idp.example.com/.well-known/openid-configuration";
        };
        return new IdentityProvider(UUID.randomUUID(), "p", "P", kind.name(), discovery, "client", null,
                "openid email profile", groupClaim, true, now, now);
    }
}
