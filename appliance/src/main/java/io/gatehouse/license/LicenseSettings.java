package io.gatehouse.license;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * GATEHOUSE_LICENSE_FILE, GATEHOUSE_LICENSE_PUBLIC_KEYS, GATEHOUSE_LICENSE_CHECK_URL, GATEHOUSE_LICENSE_CHECK_GRACE_DAYS
 * and GATEHOUSE_APPLIANCE_ID, checked once at start so a typo stops the portal with a sentence instead of silently
 * leaving the license unchecked.
 */
@Singleton
final class LicenseSettings {

    private final Path file;
    private final List<PublicKey> vendorKeys;
    private final List<PublicKey> configuredKeys;
    private final URI checkUrl;
    private final int checkGraceDays;
    private final UUID applianceId;
    private final ZoneId zone;

    LicenseSettings(@Nullable @Value("${gatehouse.license.file:}") String file,
                    @Value("${gatehouse.data-dir}") String dataDir,
                    @Nullable @Value("${gatehouse.license.public-keys:}") String publicKeys,
                    @Nullable @Value("${gatehouse.license.check-url:}") String checkUrl,
                    @Value("${gatehouse.license.check-grace-days:14}") int checkGraceDays,
                    @Nullable @Value("${gatehouse.license.appliance-id:}") String applianceId,
                    // GATEHOUSE_TIME_ZONE as config.InstallationZone parses it, injected as a named JDK ZoneId: importing
                    // io.gatehouse.config here would close a package cycle (config -> demo -> connector -> access -> license).
                    @Named("installation-zone") ZoneId zone) {
        this.zone = zone;
        this.file = blank(file) ? Path.of(dataDir, "license", "license.lic") : Path.of(file.strip());
        this.vendorKeys = LicenseKeys.vendorKeys();
        List<PublicKey> keys = new ArrayList<>();
        if (!blank(publicKeys)) {
            try {
                keys.addAll(LicenseKeys.publicKeys(publicKeys));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("GATEHOUSE_LICENSE_PUBLIC_KEYS: " + e.getMessage() + " Separate several keys with commas.", e);
            }
        }
        this.configuredKeys = List.copyOf(keys);
        this.checkUrl = blank(checkUrl) ? null : checkedUrl(checkUrl.strip());
        if (checkGraceDays < 1) {
            throw new IllegalStateException("GATEHOUSE_LICENSE_CHECK_GRACE_DAYS must be 1 or more (days); it is " + checkGraceDays + ".");
        }
        this.checkGraceDays = checkGraceDays;
        try {
            this.applianceId = blank(applianceId) ? null : UUID.fromString(applianceId.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("GATEHOUSE_APPLIANCE_ID must be a UUID (installer init writes one); it is '" + applianceId + "'.", e);
        }
    }

    private static URI checkedUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the sentence below
        }
        throw new IllegalStateException("GATEHOUSE_LICENSE_CHECK_URL must be an http(s) URL such as https://license.example.com/check.");
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    Path file() {
        return file;
    }

    /** The keys shipped in the license module (vendor-keys.txt). */
    List<PublicKey> vendorKeys() {
        return vendorKeys;
    }

    /** Extra keys from GATEHOUSE_LICENSE_PUBLIC_KEYS: trusted too, but a license only they verify is flagged. */
    List<PublicKey> configuredKeys() {
        return configuredKeys;
    }

    Optional<URI> checkUrl() {
        return Optional.ofNullable(checkUrl);
    }

    int checkGraceDays() {
        return checkGraceDays;
    }

    /** Expiry is decided by the calendar day in the installation's zone (GATEHOUSE_TIME_ZONE). */
    ZoneId zone() {
        return zone;
    }

    Optional<UUID> applianceId() {
        return Optional.ofNullable(applianceId);
    }
}
