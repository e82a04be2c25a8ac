package io.gatehouse.license;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Ed25519 keys as text: a private key is base64 PKCS#8, a public key base64 X.509 SubjectPublicKeyInfo, one per
 * line. The JDK's own Ed25519 provider does the work; nothing here touches key material by hand.
 */
public final class LicenseKeys {

    public static final String ALGORITHM = "Ed25519";
    /** The vendor's public key(s) shipped with the product, one per line ({@code #} starts a comment). */
    public static final String VENDOR_KEYS_RESOURCE = "/io/gatehouse/license/vendor-keys.txt";

    private LicenseKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime has no Ed25519", e);
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException with a sentence a person can act on */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an Ed25519 public key (expected base64 of an X.509 SubjectPublicKeyInfo, as in vendor.pub).", e);
        }
    }

    /** @throws IllegalArgumentException with a sentence a person can act on */
    public static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an Ed25519 private key (expected base64 of a PKCS#8 key, as in vendor.key).", e);
        }
    }

    /**
     * Public keys from text: one per line or comma separated (as in GATEHOUSE_LICENSE_PUBLIC_KEYS); blank lines and
     * lines starting with {@code #} are skipped.
     */
    public static List<PublicKey> publicKeys(String text) {
        List<PublicKey> keys = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String value : line.split(",")) {
                if (!value.isBlank()) {
                    keys.add(publicKey(value));
                }
            }
        }
        return keys;
    }

    /** The vendor key(s) shipped in this module. */
    public static List<PublicKey> vendorKeys() {
        try (InputStream in = LicenseKeys.class.getResourceAsStream(VENDOR_KEYS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The vendor key resource " + VENDOR_KEYS_RESOURCE + " is missing from the build");
            }
            return publicKeys(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
