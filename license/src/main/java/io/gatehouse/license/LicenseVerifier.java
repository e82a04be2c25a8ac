package io.gatehouse.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.license.LicenseVerification.Invalid;
import io.gatehouse.license.LicenseVerification.Reason;
import io.gatehouse.license.LicenseVerification.Valid;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks a license file offline against the trusted public keys. The signature is checked over the exact payload
 * bytes from the file, before the payload is even parsed, so nothing unsigned can influence the result. Expiry is
 * not judged here: an expired license is still a valid license (the portal decides what expiry means).
 */
public final class LicenseVerifier {

    static final String NOT_A_LICENSE = "This is not a Gatehouse license file (expected JSON with format \""
            + SignedLicense.FORMAT + "\", payload and signature). Upload the license.lic file you received.";
    static final String BAD_ENCODING = "The license file is damaged: its payload or signature is not valid base64url JSON. "
            + "Upload the original license.lic file you received.";
    static final String BAD_SIGNATURE = "The license signature does not verify with any trusted key: the file was changed "
            + "or was not issued for this product. Upload the original license.lic file from your vendor.";
    static final String BAD_FIELDS = "The license is signed but incomplete or impossible (it needs licenseId, customer, "
            + "seats of at least 1, issuedAt and expiresAt dates with expiresAt not before issuedAt, graceDays of 0 or more). "
            + "Ask your vendor for a corrected license.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PublicKey> trusted;

    public LicenseVerifier(List<PublicKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public LicenseVerification verify(String fileText) {
        return SignedLicense.parse(fileText).map(this::verify).orElseGet(() -> new Invalid(Reason.FORMAT, NOT_A_LICENSE));
    }

    public LicenseVerification verify(SignedLicense file) {
        if (!SignedLicense.FORMAT.equals(file.format())) {
            return new Invalid(Reason.FORMAT, NOT_A_LICENSE);
        }
        byte[] payload;
        byte[] signature;
        try {
            // Strict base64url without padding: the URL decoder rejects characters outside the alphabet.
            payload = Base64.getUrlDecoder().decode(file.payload());
            signature = Base64.getUrlDecoder().decode(file.signature());
        } catch (IllegalArgumentException e) {
            return new Invalid(Reason.ENCODING, BAD_ENCODING);
        }
        if (!signedByTrustedKey(payload, signature)) {
            return new Invalid(Reason.SIGNATURE, BAD_SIGNATURE);
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            return new Invalid(Reason.ENCODING, BAD_ENCODING);
        }
        return fields(node);
    }

    private boolean signedByTrustedKey(byte[] payload, byte[] signature) {
        for (PublicKey key : trusted) {
            try {
                Signature verifier = Signature.getInstance(LicenseKeys.ALGORITHM);
                verifier.initVerify(key);
                verifier.update(payload);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // A malformed signature (wrong length) is simply "does not verify" with this key.
            }
        }
        return false;
    }

    private static LicenseVerification fields(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Invalid(Reason.FIELDS, BAD_FIELDS);
        }
        String licenseId = text(node, "licenseId");
        String customer = text(node, "customer");
        JsonNode seats = node.path("seats");
        JsonNode grace = node.path("graceDays");
        LocalDate issuedAt = date(node, "issuedAt");
        LocalDate expiresAt = date(node, "expiresAt");
        if (licenseId == null || customer == null || !seats.canConvertToInt() || !seats.isIntegralNumber() || seats.intValue() < 1
                || issuedAt == null || expiresAt == null || expiresAt.isBefore(issuedAt)
                || !(grace.isMissingNode() || grace.isIntegralNumber() && grace.canConvertToInt() && grace.intValue() >= 0)) {
            return new Invalid(Reason.FIELDS, BAD_FIELDS);
        }
        JsonNode featureNodes = node.path("features");
        List<String> features = new ArrayList<>();
        if (!featureNodes.isMissingNode()) {
            if (!featureNodes.isArray()) {
                return new Invalid(Reason.FIELDS, BAD_FIELDS);
            }
            for (JsonNode feature : featureNodes) {
                if (!feature.isTextual() || feature.asText().isBlank()) {
                    return new Invalid(Reason.FIELDS, BAD_FIELDS);
                }
                features.add(feature.asText().strip());
            }
        }
        int graceDays = grace.isMissingNode() ? License.DEFAULT_GRACE_DAYS : grace.intValue();
        return new Valid(new License(licenseId, customer, seats.intValue(), issuedAt, expiresAt, graceDays, features));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    private static LocalDate date(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
