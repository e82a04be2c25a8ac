package io.gatehouse.license;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a license grants: who it is for, how many active people may use the appliance, and until when. Dates are
 * calendar days (the portal decides expiry in the installation's time zone); {@code graceDays} is how long after
 * {@code expiresAt} the admin pages keep working before they turn read-only.
 */
public record License(String licenseId, String customer, int seats, LocalDate issuedAt, LocalDate expiresAt, int graceDays,
                      SortedSet<String> features) {

    public static final int DEFAULT_GRACE_DAYS = 14;

    public License {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        features = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(features == null ? java.util.Set.of() : features));
    }

    public License(String licenseId, String customer, int seats, LocalDate issuedAt, LocalDate expiresAt, int graceDays,
                   Collection<String> features) {
        this(licenseId, customer, seats, issuedAt, expiresAt, graceDays, new TreeSet<>(features));
    }

    /** The last day on which an expired license still lets admins make changes. */
    public LocalDate graceEndsAt() {
        return expiresAt.plusDays(graceDays);
    }
}
