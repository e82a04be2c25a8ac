package io.gatehouse.license.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.license.License;
import io.gatehouse.license.LicenseKeys;
import io.gatehouse.license.LicenseVerification;
import io.gatehouse.license.LicenseVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LicenseCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LicenseCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keygenWritesAPrivateKeyOnlyTheOwnerCanReadAndAPublicKey() throws Exception {
        Run run = run("keygen", "--out", dir.resolve("keys").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        Path key = dir.resolve("keys/vendor.key");
        Path pub = dir.resolve("keys/vendor.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(LicenseKeys.privateKey(Files.readString(key)).getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(LicenseKeys.publicKeys(Files.readString(pub))).hasSize(1);
    }

    @Test
    void keygenNeverOverwritesAKeyPair() throws Exception {
        assertThat(run("keygen", "--out", dir.toString()).exit()).isZero();
        String before = Files.readString(dir.resolve("vendor.key"));

        Run again = run("keygen", "--out", dir.toString());

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("Refusing to overwrite");
        assertThat(Files.readString(dir.resolve("vendor.key"))).isEqualTo(before);
    }

    @Test
    void signThenVerifyRoundTripsEveryField() throws Exception {
        run("keygen", "--out", dir.toString());
        Path lic = dir.resolve("out/license.lic");

        Run sign = run("sign", "--key", dir.resolve("vendor.key").toString(), "--customer", "Acme GmbH", "--seats", "25",
                "--expires", "2027-06-30", "--issued", "2026-07-01", "--grace-days", "7", "--feature", "sso", "--feature", "audit-export",
                "--license-id", "ACME-2026", "--out", lic.toString());

        assertThat(sign.exit()).as(sign.err()).isZero();
        var verified = new LicenseVerifier(LicenseKeys.publicKeys(Files.readString(dir.resolve("vendor.pub")))).verify(Files.readString(lic));
        assertThat(verified).isEqualTo(new LicenseVerification.Valid(new License("ACME-2026", "Acme GmbH", 25, LocalDate.parse("2026-07-01"),
                LocalDate.parse("2027-06-30"), 7, java.util.List.of("audit-export", "sso"))));

        Run verify = run("verify", "--public-key", dir.resolve("vendor.pub").toString(), lic.toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("Valid license", "ACME-2026", "Acme GmbH", "25", "2027-06-30", "audit-export, sso");
    }

    @Test
    void signDefaultsToANewIdTodayAndFourteenGraceDays() throws Exception {
        run("keygen", "--out", dir.toString());
        Path lic = dir.resolve("license.lic");

        assertThat(run("sign", "--key", dir.resolve("vendor.key").toString(), "--customer", "Acme", "--seats", "3",
                "--expires", "2999-01-01", "--out", lic.toString()).exit()).isZero();

        var verified = (LicenseVerification.Valid) new LicenseVerifier(LicenseKeys.publicKeys(Files.readString(dir.resolve("vendor.pub"))))
                .verify(Files.readString(lic));
        assertThat(verified.license().graceDays()).isEqualTo(14);
        assertThat(verified.license().licenseId()).matches("[0-9a-f-]{36}");
        assertThat(verified.license().features()).isEmpty();
    }

    @Test
    void signRefusesImpossibleLicenses() throws Exception {
        run("keygen", "--out", dir.toString());
        String key = dir.resolve("vendor.key").toString();
        Path lic = dir.resolve("license.lic");

        Run zero = run("sign", "--key", key, "--customer", "A", "--seats", "0", "--expires", "2999-01-01", "--out", lic.toString());
        Run backwards = run("sign", "--key", key, "--customer", "A", "--seats", "1", "--issued", "2026-02-01", "--expires", "2026-01-01",
                "--out", lic.toString());
        Run badKey = run("sign", "--key", dir.resolve("vendor.pub").toString(), "--customer", "A", "--seats", "1", "--expires", "2999-01-01",
                "--out", lic.toString());

        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err()).contains("--seats must be at least 1");
        assertThat(backwards.exit()).isEqualTo(1);
        assertThat(backwards.err()).contains("before the issue date");
        assertThat(badKey.exit()).isEqualTo(1);
        assertThat(badKey.err()).contains("Not an Ed25519 private key");
        assertThat(lic).doesNotExist();
    }

    @Test
    void verifyWithAnotherKeyOrATamperedFileFailsWithTheReason() throws Exception {
        run("keygen", "--out", dir.resolve("vendor").toString());
        run("keygen", "--out", dir.resolve("other").toString());
        Path lic = dir.resolve("license.lic");
        run("sign", "--key", dir.resolve("vendor/vendor.key").toString(), "--customer", "A", "--seats", "1", "--expires", "2999-01-01",
                "--out", lic.toString());

        Run wrongKey = run("verify", "--public-key", dir.resolve("other/vendor.pub").toString(), lic.toString());
        Files.writeString(lic, "{\"hello\":1}");
        Run garbage = run("verify", "--public-key", dir.resolve("vendor/vendor.pub").toString(), lic.toString());

        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("Invalid license (signature)");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).contains("Invalid license (format)");
    }
}
