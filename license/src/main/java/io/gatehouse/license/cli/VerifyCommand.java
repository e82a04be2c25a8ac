package io.gatehouse.license.cli;

import io.gatehouse.license.License;
import io.gatehouse.license.LicenseKeys;
import io.gatehouse.license.LicenseVerification;
import io.gatehouse.license.LicenseVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks a license file against the given public key(s) and prints what it grants (exit 0) or why not (exit 1). */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check a license file's signature and show its contents.")
public final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--public-key", required = true, description = "A trusted public key file (vendor.pub); repeatable.")
    List<Path> publicKeys = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "LICENSE", description = "The license file.")
    Path license;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : publicKeys) {
            try {
                keys.addAll(LicenseKeys.publicKeys(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                err.println(file + ": " + e.getMessage());
                return 1;
            }
        }
        if (!Files.isRegularFile(license)) {
            err.println(license + ": no such file.");
            return 1;
        }
        return switch (new LicenseVerifier(keys).verify(Files.readString(license, StandardCharsets.UTF_8))) {
            case LicenseVerification.Valid(License valid) -> {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Valid license");
                out.println("licenseId:  " + valid.licenseId());
                out.println("customer:   " + valid.customer());
                out.println("seats:      " + valid.seats());
                out.println("issuedAt:   " + valid.issuedAt());
                out.println("expiresAt:  " + valid.expiresAt());
                out.println("graceDays:  " + valid.graceDays());
                out.println("features:   " + String.join(", ", valid.features()));
                yield 0;
            }
            case LicenseVerification.Invalid invalid -> {
                err.println("Invalid license (" + invalid.reason().name().toLowerCase() + "): " + invalid.message());
                yield 1;
            }
        };
    }
}
