package io.gatehouse.installer.bundle;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class BundleTest {

    @TempDir Path tmp;
    TestHost source;
    Path bundle;

    @BeforeEach
    void bundleFromACheckout() throws Exception {
        source = new TestHost(Files.createDirectories(tmp.resolve("src")));
        Files.createDirectories(source.home.resolve("installer/target"));
        Files.writeString(source.home.resolve("installer/target/gatehouse-installer.jar"), "jar");
        Files.writeString(source.home.resolve("installer.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(source.home.resolve("installer.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(source.compose.resolve(".env"), "GATEHOUSE_MASTER_KEY=secret\n");
        Files.createDirectories(source.compose.resolve("license"));
        Files.writeString(source.compose.resolve("license/license.lic"), "customer license");
        // copies and keys an admin or an editor left in compose/
        Files.writeString(source.compose.resolve(".env.bak"), "GATEHOUSE_MASTER_KEY=secret\n");
        Files.writeString(source.compose.resolve(".env-4711.tmp"), "GATEHOUSE_MASTER_KEY=secret\n");
        Files.createDirectories(source.compose.resolve("extra/tls"));
        Files.writeString(source.compose.resolve("extra/tls/site.key"), "PRIVATE KEY");
        Files.writeString(source.compose.resolve("extra/tls/site.pem"), "CERT AND KEY");
        Files.writeString(source.compose.resolve("extra/old.lic"), "customer license");
        Files.writeString(source.compose.resolve("extra/mongo-official.yml"), "services: {}\n");
        source.runner.on("docker save -o", c -> {
            write(Path.of(c.argv().get(3)), "IMAGES-TAR-CONTENT-" + "x".repeat(2000));
            return CommandResult.ok("");
        }).on("docker cp", c -> {
            Path java = Path.of(c.argv().get(3)).resolve("bin/java");
            write(java, "#!/bin/sh\necho java\n");
            try {
                Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return CommandResult.ok("");
        }).on("org.opencontainers.image.revision", CommandResult.ok("abc123\n"));
        bundle = tmp.resolve("out/gatehouse-0.1.0.tar");
        Files.createDirectories(bundle.getParent());
        assertThat(source.run("bundle", "--out", bundle.toString())).as(source.output()).isZero();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBundleCarriesImagesComposeInstallerAndRuntimeButNoSecrets() throws Exception {
        assertThat(source.runner.lines()).anyMatch(l -> l.startsWith("docker save -o") && l.contains("gatehouse/portal:0.1.0")
                && l.contains("gatehouse/connector-sql:0.1.0") && l.contains("gatehouse/base-jre:25"));
        assertThat(source.runner.lines()).anyMatch(l -> l.startsWith("docker rm -f gatehouse-bundle-"));

        TestHost site = new TestHost(Files.createDirectories(tmp.resolve("site-home")));
        Path siteDir = Files.createDirectories(tmp.resolve("site"));
        Path copy = Files.copy(bundle, siteDir.resolve("gatehouse-0.1.0.tar"));

        assertThat(site.run("load", copy.toString())).as(site.output()).isZero();

        assertThat(site.runner.lines()).anyMatch(l -> l.startsWith("docker load -i ") && l.endsWith("images.tar"));
        assertThat(siteDir.resolve("compose/docker-compose.yml")).exists();
        assertThat(siteDir.resolve("compose/.env")).doesNotExist();
        assertThat(siteDir.resolve("compose/license/license.lic")).doesNotExist();
        assertThat(siteDir.resolve("installer/gatehouse-installer.jar")).hasContent("jar");
        assertThat(Files.isExecutable(siteDir.resolve("installer.sh"))).isTrue();
        assertThat(Files.isExecutable(siteDir.resolve("runtime/java/bin/java"))).isTrue();
        assertThat(siteDir.resolve("images.tar")).doesNotExist();
        assertThat(site.out.toString()).contains("loaded Gatehouse 0.1.0").contains("./installer.sh init");
        try (var files = Files.list(siteDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".gatehouse-bundle-"));
        }
    }

    @Test
    void noSecretLeavesInTheBundleWhereverItLiesUnderCompose() throws Exception {
        java.util.List<String> entries = new java.util.ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(bundle))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.add(entry.getName());
            }
        }

        assertThat(entries).contains("compose/docker-compose.yml", "compose/extra/mongo-official.yml")
                .noneMatch(n -> n.startsWith("compose/") && (n.contains("/.env") || n.endsWith(".lic") || n.endsWith(".key") || n.endsWith(".pem")));
    }

    @Test
    void aChangedByteInsideTheBundleIsRefusedNamingTheFile() throws Exception {
        byte[] bytes = Files.readAllBytes(bundle);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("IMAGES-TAR-CONTENT-") + 30;
        bytes[at] = 'y';
        Files.write(bundle, bytes);
        TestHost site = new TestHost(Files.createDirectories(tmp.resolve("site-home")));

        assertThat(site.run("load", bundle.toString())).isEqualTo(1);

        assertThat(site.err.toString()).contains("images.tar does not match its sha256");
        assertThat(site.runner.lines()).noneMatch(l -> l.startsWith("docker load"));
        assertThat(bundle.getParent().resolve("compose")).doesNotExist();
    }
}
