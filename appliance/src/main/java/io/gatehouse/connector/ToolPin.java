package io.gatehouse.connector;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.UUID;

/** A tool's pinned definition (see V12__tool_pins.sql). */
record ToolPin(UUID connectorId, String toolName, String fingerprint, @Nullable String pendingFingerprint,
               @Nullable String pendingDescription, String status, @Nullable String classification, Instant pinnedAt,
               @Nullable Instant changedAt) {

    static final String APPROVED = "APPROVED";
    static final String HELD = "HELD";

    boolean held() {
        return HELD.equals(status);
    }
}
