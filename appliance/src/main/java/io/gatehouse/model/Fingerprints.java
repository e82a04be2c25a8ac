package io.gatehouse.model;

import io.micronaut.core.annotation.Nullable;

/**
 * SHA-256 of the exact bytes of one model call: the request body the portal sent and the response body it read
 * (for a stream, every byte of it that was read). Null when the provider did not supply them.
 */
public record Fingerprints(byte @Nullable [] requestSha256, byte @Nullable [] responseSha256) {

    public static final Fingerprints NONE = new Fingerprints(null, null);
}
