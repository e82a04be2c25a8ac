package io.gatehouse.license;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** The vendor side: turns a {@link License} into a signed license file with the vendor's Ed25519 private key. */
public final class LicenseSigner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateKey key;

    public LicenseSigner(PrivateKey key) {
        this.key = key;
    }

    public SignedLicense sign(License license) {
        byte[] payload = payloadBytes(license);
        try {
            Signature signer = Signature.getInstance(LicenseKeys.ALGORITHM);
            signer.initSign(key);
            signer.update(payload);
            Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
            return new SignedLicense(SignedLicense.FORMAT, base64url.encodeToString(payload), base64url.encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The key cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    /** The payload JSON in a fixed field order (only for signing; verification never re-creates it). */
    static byte[] payloadBytes(License license) {
        ObjectNode node = JSON.createObjectNode();
        node.put("licenseId", license.licenseId());
        node.put("customer", license.customer());
        node.put("seats", license.seats());
        node.put("issuedAt", license.issuedAt().toString());
        node.put("expiresAt", license.expiresAt().toString());
        node.put("graceDays", license.graceDays());
        ArrayNode features = node.putArray("features");
        license.features().forEach(features::add);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
