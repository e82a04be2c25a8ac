package io.gatehouse.license.cli;

import io.gatehouse.license.LicenseKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a new vendor key pair: {@code vendor.key} (private, 0600) and {@code vendor.pub}. Never overwrites. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create a vendor Ed25519 key pair (vendor.key, vendor.pub).")
public final class KeygenCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory to write vendor.key and vendor.pub into.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path key = out.resolve("vendor.key");
        Path pub = out.resolve("vendor.pub");
        if (Files.exists(key) || Files.exists(pub)) {
            spec.commandLine().getErr().println("Refusing to overwrite an existing key pair in " + out
                    + "; choose another --out directory.");
            return 1;
        }
        Files.createDirectories(out);
        KeyPair pair = LicenseKeys.generate();
        writePrivate(key, LicenseKeys.encode(pair.getPrivate()) + "\n");
        Files.writeString(pub, LicenseKeys.encode(pair.getPublic()) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        spec.commandLine().getOut().println("Wrote " + key + " (private: keep it offline, mode 0600) and " + pub
                + " (public: trust it with GATEHOUSE_LICENSE_PUBLIC_KEYS).");
        return 0;
    }

    /** Created with 0600 from the start, so the key is never readable by others, not even for a moment. */
    private static void writePrivate(Path key, String text) throws IOException {
        try {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(key);
        }
        Files.writeString(key, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
