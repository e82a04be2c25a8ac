package io.gatehouse.license.cli;

import io.gatehouse.license.License;
import io.gatehouse.license.LicenseKeys;
import io.gatehouse.license.LicenseSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Signs a license with the vendor's private key and writes the license.lic file. */
@Command(name = "sign", mixinStandardHelpOptions = true, description = "Issue a signed license file.")
public final class SignCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, description = "The vendor private key file (vendor.key).")
    Path key;

    @Option(names = "--customer", required = true, description = "Customer name as it should appear on the License page.")
    String customer;

    @Option(names = "--seats", required = true, description = "How many active people may use the appliance (at least 1).")
    int seats;

    @Option(names = "--expires", required = true, description = "Last day of validity, YYYY-MM-DD.")
    LocalDate expires;

    @Option(names = "--issued", description = "Issue date, YYYY-MM-DD (default: today, UTC).")
    LocalDate issued;

    @Option(names = "--grace-days", defaultValue = "" + License.DEFAULT_GRACE_DAYS,
            description = "Days after expiry before admin turns read-only (default: ${DEFAULT-VALUE}).")
    int graceDays;

    @Option(names = "--feature", description = "A feature the license enables (repeatable).")
    List<String> features = new ArrayList<>();

    @Option(names = "--license-id", description = "License id (default: a new UUID).")
    String licenseId;

    @Option(names = "--out", required = true, description = "Where to write the license file (e.g. license.lic).")
    Path out;

    @Override
    public Integer call() throws IOException {
        LocalDate issuedAt = issued == null ? LocalDate.now(ZoneOffset.UTC) : issued;
        String problem = seats < 1 ? "--seats must be at least 1."
                : expires.isBefore(issuedAt) ? "--expires (" + expires + ") is before the issue date (" + issuedAt + ")."
                : graceDays < 0 ? "--grace-days cannot be negative."
                : customer.isBlank() ? "--customer cannot be blank."
                : licenseId != null && licenseId.isBlank() ? "--license-id cannot be blank." : null;
        if (problem != null) {
            spec.commandLine().getErr().println(problem);
            return 1;
        }
        LicenseSigner signer;
        try {
            signer = new LicenseSigner(LicenseKeys.privateKey(Files.readString(key, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(key + ": " + e.getMessage());
            return 1;
        }
        License license = new License(licenseId == null ? UUID.randomUUID().toString() : licenseId.strip(), customer.strip(), seats,
                issuedAt, expires, graceDays, features.stream().map(String::strip).filter(f -> !f.isEmpty()).toList());
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, signer.sign(license).toJson(), StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("Wrote " + out + ": license " + license.licenseId() + " for " + license.customer() + ", "
                + license.seats() + " seats, expires " + license.expiresAt() + ".");
        return 0;
    }
}
