package io.gatehouse.license;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.license.LicenseVerification.Invalid;
import io.gatehouse.license.LicenseVerification.Reason;
import io.gatehouse.license.LicenseVerification.Valid;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LicenseVerifierTest {

    static final KeyPair VENDOR = LicenseKeys.generate();
    static final KeyPair OTHER = LicenseKeys.generate();
    static final License LICENSE = new License("lic-1", "Acme GmbH", 25, LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"),
            14, List.of("sso", "audit-export"));

    private static LicenseVerifier verifier(KeyPair... trusted) {
        return new LicenseVerifier(java.util.Arrays.stream(trusted).map(KeyPair::getPublic).toList());
    }

    private static String signed(License license) {
        return new LicenseSigner(VENDOR.getPrivate()).sign(license).toJson();
    }

    private static String withPayload(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        SignedLicense real = new LicenseSigner(VENDOR.getPrivate()).sign(LICENSE);
        // Sign the hand-written payload bytes exactly as the signer would.
        try {
            var signature = java.security.Signature.getInstance("Ed25519");
            signature.initSign(VENDOR.getPrivate());
            signature.update(payload);
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            return new SignedLicense(real.format(), url.encodeToString(payload), url.encodeToString(signature.sign())).toJson();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSignedLicenseVerifiesToTheSameLicense() {
        var result = verifier(OTHER, VENDOR).verify(signed(LICENSE));

        assertThat(result).isEqualTo(new Valid(LICENSE));
        assertThat(((Valid) result).license().features()).containsExactly("audit-export", "sso");
        assertThat(LICENSE.graceEndsAt()).isEqualTo(LocalDate.parse("2027-01-14"));
    }

    @Test
    void theFileIsTheContractsJsonWithBase64UrlFields() throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signed(LICENSE));

        assertThat(node.path("format").asText()).isEqualTo("gatehouse-license-1");
        var payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Base64.getUrlDecoder().decode(node.path("payload").asText()));
        assertThat(payload.path("licenseId").asText()).isEqualTo("lic-1");
        assertThat(payload.path("seats").asInt()).isEqualTo(25);
        assertThat(payload.path("expiresAt").asText()).isEqualTo("2026-12-31");
        assertThat(node.path("signature").asText()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anExpiredLicenseIsStillValidHereBecauseExpiryIsThePortalsDecision() {
        License old = new License("old", "Acme", 5, LocalDate.parse("2020-01-01"), LocalDate.parse("2020-02-01"), 0, List.of());

        assertThat(verifier(VENDOR).verify(signed(old))).isEqualTo(new Valid(old));
    }

    @Test
    void aFlippedByteInThePayloadBreaksTheSignature() {
        SignedLicense good = new LicenseSigner(VENDOR.getPrivate()).sign(LICENSE);
        byte[] payload = Base64.getUrlDecoder().decode(good.payload());
        String json = new String(payload, StandardCharsets.UTF_8).replace("\"seats\":25", "\"seats\":95");
        assertThat(json).contains("\"seats\":95");
        var tampered = new SignedLicense(good.format(), Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8)),
                good.signature());

        assertThat(verifier(VENDOR).verify(tampered)).isEqualTo(new Invalid(Reason.SIGNATURE, LicenseVerifier.BAD_SIGNATURE));
    }

    @Test
    void aFlippedByteInTheSignatureBreaksIt() {
        SignedLicense good = new LicenseSigner(VENDOR.getPrivate()).sign(LICENSE);
        byte[] signature = Base64.getUrlDecoder().decode(good.signature());
        signature[10] ^= 0x01;
        var tampered = new SignedLicense(good.format(), good.payload(), Base64.getUrlEncoder().withoutPadding().encodeToString(signature));

        assertThat(verifier(VENDOR).verify(tampered)).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(Reason.SIGNATURE));
    }

    @Test
    void aLicenseSignedWithAnotherKeyIsInvalid() {
        assertThat(verifier(OTHER).verify(signed(LICENSE))).isEqualTo(new Invalid(Reason.SIGNATURE, LicenseVerifier.BAD_SIGNATURE));
        assertThat(new LicenseVerifier(List.of()).verify(signed(LICENSE))).isInstanceOf(Invalid.class);
    }

    @Test
    void theShippedVendorKeyDoesNotVerifyATestLicense() {
        assertThat(LicenseKeys.vendorKeys()).hasSize(1);
        assertThat(new LicenseVerifier(LicenseKeys.vendorKeys()).verify(signed(LICENSE))).isInstanceOf(Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "[]", "{\"format\":\"gatehouse-license-1\"}",
            "{\"format\":\"gatehouse-license-2\",\"payload\":\"e30\",\"signature\":\"AA\"}",
            "{\"format\":\"gatehouse-license-1\",\"payload\":1,\"signature\":\"AA\"}"})
    void garbageIsRefusedWithTheFormatReason(String text) {
        assertThat(verifier(VENDOR).verify(text)).isEqualTo(new Invalid(Reason.FORMAT, LicenseVerifier.NOT_A_LICENSE));
    }

    @Test
    void badBase64IsRefusedAsDamaged() {
        assertThat(verifier(VENDOR).verify("{\"format\":\"gatehouse-license-1\",\"payload\":\"not base64!\",\"signature\":\"AA\"}"))
                .isEqualTo(new Invalid(Reason.ENCODING, LicenseVerifier.BAD_ENCODING));
    }

    @Test
    void aSignedPayloadThatIsNotJsonIsDamaged() {
        assertThat(verifier(VENDOR).verify(withPayload("not json {"))).isEqualTo(new Invalid(Reason.ENCODING, LicenseVerifier.BAD_ENCODING));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"customer\":\"A\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\"}",
            "{\"licenseId\":\"x\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":0,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":\"5\",\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":1.5,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2025-12-31\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"31.12.2026\"}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\",\"graceDays\":-1}",
            "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":1,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-02-01\",\"features\":\"sso\"}",
            "[1,2]"})
    void signedButImpossibleFieldsAreRefused(String payload) {
        assertThat(verifier(VENDOR).verify(withPayload(payload))).isEqualTo(new Invalid(Reason.FIELDS, LicenseVerifier.BAD_FIELDS));
    }

    @Test
    void graceDaysDefaultsToFourteenAndUnknownFieldsAreIgnored() {
        var result = verifier(VENDOR).verify(withPayload(
                "{\"licenseId\":\"x\",\"customer\":\"A\",\"seats\":3,\"issuedAt\":\"2026-01-01\",\"expiresAt\":\"2026-01-01\",\"tier\":\"gold\"}"));

        assertThat(result).isEqualTo(new Valid(new License("x", "A", 3, LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-01"), 14, List.of())));
    }
}
