package io.gatehouse.secret;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit master key that encrypts secrets at rest. It comes from GATEHOUSE_MASTER_KEY (base64) or,
 * on the embedded default, from {@code <data-dir>/master.key}, created on first run with mode 0600.
 * It is never logged and never stored in the database.
 */
@Singleton
public final class MasterKey {

    static final String FILE_NAME = "master.key";

    private final SecretKey key;

    MasterKey(@Nullable @Value("${gatehouse.master-key:}") String fromEnvironment,
              @Value("${gatehouse.data-dir}") String dataDir,
              SecureRandom random) {
        this.key = new SecretKeySpec(bytes(fromEnvironment, Path.of(dataDir), random), "AES");
    }

    /**
     * The key's bytes, for the launcher, which needs them before the application context exists (to derive the
     * database login's password). Creates the key file on the embedded default, as the bean would.
     */
    public static byte[] bytes(@Nullable String fromEnvironment, Path dataDir, SecureRandom random) {
        return fromEnvironment == null || fromEnvironment.isBlank()
                ? loadOrCreate(dataDir.resolve(FILE_NAME), random)
                : decode(fromEnvironment, "GATEHOUSE_MASTER_KEY");
    }

    SecretKey key() {
        return key;
    }

    private static byte[] loadOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file).strip(), file.toString());
            }
            Files.createDirectories(file.getParent());
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n",
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key file " + file
                    + ". Make the data directory writable or set GATEHOUSE_MASTER_KEY.", e);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key in " + source + " is not valid base64. "
                    + "Generate one with: openssl rand -base64 32");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("The master key in " + source + " must be 32 bytes (256 bits), it has "
                    + raw.length + ". Generate one with: openssl rand -base64 32");
        }
        return raw;
    }
}
