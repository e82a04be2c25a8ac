package io.gatehouse.installer.init;

import io.gatehouse.installer.InstallerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the custom-certificate directory: cert.pem holds X.509 certificate(s), key.pem a PEM private key. */
final class PemFiles {

    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemFiles() {
    }

    static void check(Path certDir) {
        Path cert = certDir.resolve("cert.pem");
        Path key = certDir.resolve("key.pem");
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            throw new InstallerException("--cert-dir " + certDir + " must contain cert.pem (the certificate chain) and key.pem"
                    + " (its private key, unencrypted)");
        }
        try (InputStream in = Files.newInputStream(cert)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new InstallerException(cert + " holds no certificate: it must be PEM (-----BEGIN CERTIFICATE-----)");
            }
        } catch (CertificateException | IOException e) {
            throw new InstallerException(cert + " is not a PEM certificate (" + e.getMessage() + "): export it as PEM");
        }
        try {
            Matcher m = KEY_BLOCK.matcher(Files.readString(key, StandardCharsets.US_ASCII));
            if (!m.find()) {
                throw new InstallerException(key + " is not a PEM private key (-----BEGIN PRIVATE KEY-----): export it as PEM");
            }
            if (m.group(1).startsWith("ENCRYPTED")) {
                throw new InstallerException(key + " is encrypted: Caddy needs it without a passphrase (openssl pkey -in key.pem -out key.pem)");
            }
            Base64.getMimeDecoder().decode(m.group(2));
        } catch (IOException | IllegalArgumentException e) {
            throw new InstallerException(key + " is not a PEM private key (" + e.getMessage() + "): export it as PEM");
        }
    }
}
