package io.gatehouse.sso;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * An OpenID Connect identity provider people sign in with. {@code slug} names it in {@code /sso/{slug}/...};
 * the client secret is stored only as AES-GCM ciphertext bound to the row id. For Entra the discovery URL
 * is derived from the tenant, for Google it is Google's own.
 */
@MappedEntity("identity_providers")
record IdentityProvider(
        @Id UUID id,
        String slug,
        String displayName,
        String kind,
        String discoveryUrl,
        String clientId,
        @Nullable byte[] clientSecretCipher,
        String scopes,
        @Nullable String groupClaim,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    static String secretContext(UUID id) {
        return "identity_provider:" + id;
    }

    ProviderKind providerKind() {
        return ProviderKind.valueOf(kind);
    }

    /** The Entra tenant (id, domain, {@code common} or {@code organizations}) the discovery URL was built from. */
    @Nullable
    String entraTenant() {
        return providerKind() == ProviderKind.ENTRA ? ProviderKind.tenantOf(discoveryUrl) : null;
    }
}
