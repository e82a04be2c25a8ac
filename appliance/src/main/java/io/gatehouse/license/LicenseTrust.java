package io.gatehouse.license;

import io.gatehouse.license.LicenseStatus.SignedBy;
import io.gatehouse.license.LicenseVerification.Invalid;
import io.gatehouse.license.LicenseVerification.Reason;
import io.micronaut.core.annotation.Nullable;
import java.security.PublicKey;
import java.util.List;

/**
 * Verifies a license file against the vendor keys first and only then against the keys added with
 * GATEHOUSE_LICENSE_PUBLIC_KEYS, so the portal can tell which kind of key vouches for the license. Anyone who can
 * edit .env can add a key and sign a license of their own: such a license still counts (tests and vendor staging
 * need that), but it is reported as {@link SignedBy#CONFIGURED_KEY} and shown to admins, never silently trusted.
 */
final class LicenseTrust {

    /** What checking found; {@code signedBy} is null unless the verification is valid. */
    record Checked(LicenseVerification verification, @Nullable SignedBy signedBy) {
    }

    private final LicenseVerifier vendor;
    private final LicenseVerifier configured;

    LicenseTrust(List<PublicKey> vendorKeys, List<PublicKey> configuredKeys) {
        this.vendor = new LicenseVerifier(vendorKeys);
        this.configured = configuredKeys.isEmpty() ? null : new LicenseVerifier(configuredKeys);
    }

    Checked verify(String fileText) {
        LicenseVerification byVendor = vendor.verify(fileText);
        if (byVendor instanceof LicenseVerification.Valid) {
            return new Checked(byVendor, SignedBy.VENDOR);
        }
        // Only a signature no vendor key verifies can be a configured key's; a file that is not a license, or one a
        // vendor key signed with bad fields, fails the same way whoever's key is tried.
        if (configured == null || !(byVendor instanceof Invalid invalid && invalid.reason() == Reason.SIGNATURE)) {
            return new Checked(byVendor, null);
        }
        LicenseVerification byConfigured = configured.verify(fileText);
        return new Checked(byConfigured, byConfigured instanceof LicenseVerification.Valid ? SignedBy.CONFIGURED_KEY : null);
    }
}
