package io.gatehouse.connector;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A configured connector. {@code name} namespaces its tools for the model ({@code <name>__<tool>});
 * {@code configJson} holds non-secret settings, {@code secretsCipher} the secret ones, encrypted.
 */
@MappedEntity("connectors")
record ConnectorRecord(
        @Id UUID id,
        String name,
        String kind,
        String description,
        String configJson,
        @Nullable byte[] secretsCipher,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        String networks,
        @Nullable String image,
        @Nullable String imageId,
        @Nullable Integer port,
        @Nullable String mcpPath,
        String secretKeys) {

    /** The kind of bring-your-own MCP servers: any image, no manifest, tools untrusted. */
    static final String BYO_KIND = "mcp";

    boolean bringYourOwn() {
        return BYO_KIND.equals(kind);
    }

    java.util.List<String> secretKeyList() {
        return secretKeys.isBlank() ? java.util.List.of() : java.util.List.of(secretKeys.split(","));
    }

    java.util.List<String> networkList() {
        return networks.isBlank() ? java.util.List.of() : java.util.List.of(networks.split(","));
    }

    static String secretContext(UUID id) {
        return "connector:" + id;
    }
}
