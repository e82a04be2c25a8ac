package io.gatehouse.siem;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * The stored export settings: whether it runs, where to (an HTTP URL, or a syslog host and port), the sealed
 * Authorization header value for HTTP, and how many events go in one batch.
 */
record SiemSettings(boolean enabled, Transport transport, @Nullable URI url, @Nullable String host, @Nullable Integer port,
                    int batchSize, @Nullable byte[] authorizationCipher, @Nullable UUID updatedBy, @Nullable String updatedByEmail,
                    Instant updatedAt) {

    /** What {@link io.gatehouse.secret.SecretBox} binds the Authorization value to. */
    static final String AUTHORIZATION_CONTEXT = "siem_settings:authorization";

    /** Whether the chosen transport has somewhere to send to (the settings row starts without a destination). */
    boolean hasDestination() {
        return transport == Transport.HTTP ? url != null : host != null && port != null;
    }

    /** The destination for messages and the audit trail: scheme, host and port only (a URL's path or query may hold a token). */
    String destination() {
        if (!hasDestination()) {
            return "no collector";
        }
        if (transport == Transport.HTTP) {
            int p = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            return url.getScheme() + "://" + url.getHost() + ":" + p;
        }
        return "syslog+tcp://" + host + ":" + port;
    }
}
