package io.gatehouse.license;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.license.LicenseStatus.SignedBy;
import io.gatehouse.license.LicenseVerification.Invalid;
import io.gatehouse.license.LicenseVerification.Reason;
import io.gatehouse.license.LicenseVerification.Valid;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which key vouches for a license: a vendor key, or only one added with GATEHOUSE_LICENSE_PUBLIC_KEYS. */
class LicenseTrustTest {

    private static final KeyPair VENDOR = LicenseKeys.generate();
    private static final KeyPair CONFIGURED = LicenseKeys.generate();
    private static final KeyPair STRANGER = LicenseKeys.generate();

    private final LicenseTrust trust = new LicenseTrust(List.of(VENDOR.getPublic()), List.of(CONFIGURED.getPublic()));

    @Test
    void aVendorSignedLicenseIsTheVendorsEvenWhenTheSameKeyIsAlsoConfigured() {
        LicenseTrust both = new LicenseTrust(List.of(VENDOR.getPublic()), List.of(VENDOR.getPublic(), CONFIGURED.getPublic()));

        assertThat(trust.verify(LicenseFixtures.file(VENDOR, "V-1", 5, "2027-01-01")).signedBy()).isEqualTo(SignedBy.VENDOR);
        assertThat(both.verify(LicenseFixtures.file(VENDOR, "V-1", 5, "2027-01-01")).signedBy()).isEqualTo(SignedBy.VENDOR);
    }

    @Test
    void aLicenseOnlyAConfiguredKeyVerifiesIsValidButMarkedAsSuch() {
        LicenseTrust.Checked checked = trust.verify(LicenseFixtures.file(CONFIGURED, "C-1", 5, "2027-01-01"));

        assertThat(checked.verification()).isInstanceOf(Valid.class);
        assertThat(((Valid) checked.verification()).license().licenseId()).isEqualTo("C-1");
        assertThat(checked.signedBy()).isEqualTo(SignedBy.CONFIGURED_KEY);
    }

    @Test
    void withoutConfiguredKeysOnlyTheVendorKeyCounts() {
        LicenseTrust vendorOnly = new LicenseTrust(List.of(VENDOR.getPublic()), List.of());

        LicenseTrust.Checked checked = vendorOnly.verify(LicenseFixtures.file(CONFIGURED, "C-1", 5, "2027-01-01"));

        assertThat(checked.verification()).isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.reason()).isEqualTo(Reason.SIGNATURE));
        assertThat(checked.signedBy()).isNull();
    }

    @Test
    void aForeignOrTamperedFileIsRefusedWithTheUsualReason() {
        LicenseTrust.Checked foreign = trust.verify(LicenseFixtures.file(STRANGER, "F-1", 5, "2027-01-01"));
        assertThat(foreign.verification()).isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.reason()).isEqualTo(Reason.SIGNATURE));
        assertThat(foreign.signedBy()).isNull();

        assertThat(trust.verify("{\"hello\":\"world\"}").verification())
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.reason()).isEqualTo(Reason.FORMAT));
    }

    @Test
    void aConfiguredKeysSignatureOverBadFieldsGetsTheFieldsReasonNotSignature() {
        SignedLicense unsigned = SignedLicense.parse(LicenseFixtures.file(CONFIGURED, "C-2", 5, "2027-01-01")).orElseThrow();
        byte[] payload = "{\"licenseId\":\"C-2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature;
        try {
            java.security.Signature signer = java.security.Signature.getInstance(LicenseKeys.ALGORITHM);
            signer.initSign(CONFIGURED.getPrivate());
            signer.update(payload);
            signature = Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String file = new SignedLicense(unsigned.format(), Base64.getUrlEncoder().withoutPadding().encodeToString(payload), signature).toJson();

        LicenseTrust.Checked checked = trust.verify(file);

        assertThat(checked.verification()).isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.reason()).isEqualTo(Reason.FIELDS));
        assertThat(checked.signedBy()).isNull();
    }
}
