package io.gatehouse.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A configured model provider; the API key is stored only as AES-GCM ciphertext. */
@MappedEntity("model_providers")
record ProviderRecord(
        @Id UUID id,
        String name,
        String kind,
        String baseUrl,
        @Nullable byte[] apiKeyCipher,
        Instant createdAt,
        Instant updatedAt) {

    static String secretContext(UUID id) {
        return "model_provider:" + id;
    }
}
