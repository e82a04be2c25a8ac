package io.gatehouse.installer.bundle;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.archive.Manifest;
import io.gatehouse.installer.archive.Tar;
import io.gatehouse.installer.compose.Images;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The air-gapped bundle: one tar with images.tar (docker save), compose/ (without the site's secrets), the installer
 * jar and wrapper, and runtime/java (the JRE of the base image, so the target host needs no Java), plus a manifest.
 */
public final class Bundles {

    static final String IMAGES = "images.tar";
    static final String JAR = "installer/gatehouse-installer.jar";
    /** Top-level directories of compose/ that belong to the site (license, backups, certificates). */
    private static final Set<String> NOT_BUNDLED = Set.of("license", "backups", "certs");
    private static final Duration LONG = Duration.ofHours(1);

    private final Host host;

    public Bundles(Host host) {
        this.host = host;
    }

    public void bundle(Path composeDir, String version, Path target, PrintWriter out) {
        List<String> images = new ArrayList<>(Images.all(version));
        images.add(Images.BASE);
        Images.requirePresent(host.runner(), images, host.sourceCheckout());
        Path work = workDir(target.toAbsolutePath().getParent());
        try {
            Map<String, Path> files = new TreeMap<>();
            out.println("saving " + images.size() + " images");
            out.flush();
            List<String> save = new ArrayList<>(List.of("docker", "save", "-o", work.resolve(IMAGES).toString()));
            save.addAll(images);
            check("docker save", host.runner().run(Command.of(save).timeout(LONG)));
            files.put(IMAGES, work.resolve(IMAGES));
            addTree(files, composeDir, "compose", true);
            files.put(JAR, jar());
            Path wrapper = host.home().resolve("installer.sh");
            if (!Files.isRegularFile(wrapper)) {
                throw new InstallerException(wrapper + " not found: run bundle from a checkout or an unpacked bundle");
            }
            files.put("installer.sh", wrapper);
            out.println("copying the Java runtime out of " + Images.BASE);
            out.flush();
            Path runtime = copyRuntime(work);
            addTree(files, runtime, "runtime/java", false);
            String revision = revision(version);
            Manifest manifest = Manifest.of(version, revision, host.clock().instant().toString(), files);
            Tar.write(target, false, manifest, files);
            out.println("bundle written: " + target + " (version " + version + ", revision " + revision + ")");
            out.println("On the target host: tar -xf " + target.getFileName() + " installer.sh installer runtime && ./installer.sh load "
                    + target.getFileName());
            out.flush();
        } catch (IOException e) {
            throw new InstallerException("bundle failed: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    /** Verifies, loads the images and unpacks compose/, installer/, installer.sh and runtime/ next to the bundle (if absent). */
    public Manifest load(Path bundle, PrintWriter out) {
        Path file = bundle.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new InstallerException(file + " not found");
        }
        Path home = file.getParent();
        Path work = workDir(home);
        try {
            out.println("verifying " + file);
            out.flush();
            Manifest manifest = Tar.extractVerified(file, false, work);
            out.println("loading the images of version " + manifest.version());
            out.flush();
            check("docker load", host.runner().run(Command.of("docker", "load", "-i", work.resolve(IMAGES).toString()).timeout(LONG)));
            for (String part : List.of("compose", "installer", "installer.sh", "runtime")) {
                if (Files.exists(home.resolve(part))) {
                    out.println("kept the existing " + home.resolve(part));
                } else {
                    Tar.moveIfAbsent(work.resolve(part), home.resolve(part));
                    out.println("unpacked " + home.resolve(part));
                }
            }
            out.println("loaded Gatehouse " + manifest.version() + ". Next: cd " + home + " && ./installer.sh preflight"
                    + " && ./installer.sh init --hostname HOST --admin-email EMAIL && ./installer.sh up");
            out.flush();
            return manifest;
        } catch (IOException e) {
            throw new InstallerException("load failed: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    private Path jar() {
        for (Path candidate : List.of(host.home().resolve("installer/target/gatehouse-installer.jar"), host.home().resolve(JAR))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new InstallerException("gatehouse-installer.jar not found in " + host.home() + ": build it (./mvnw -pl installer -am package)");
    }

    /** docker create + docker cp of /opt/java out of the base image (no container is started). */
    private Path copyRuntime(Path work) {
        String name = "gatehouse-bundle-" + UUID.randomUUID().toString().substring(0, 8);
        check("docker create", host.runner().run(Command.of("docker", "create", "--name", name, Images.BASE, "/opt/java/bin/java", "-version")));
        try {
            Path target = work.resolve("runtime-java");
            check("docker cp", host.runner().run(Command.of("docker", "cp", name + ":/opt/java", target.toString()).timeout(LONG)));
            return target;
        } finally {
            host.runner().run(Command.of("docker", "rm", "-f", name));
        }
    }

    private String revision(String version) {
        CommandResult label = host.runner().run(Command.of("docker", "image", "inspect", "--format",
                "{{index .Config.Labels \"org.opencontainers.image.revision\"}}", "gatehouse/portal:" + version));
        String revision = label.succeeded() ? label.stdout().strip() : "";
        return revision.isEmpty() || revision.equals("<no value>") ? "unknown" : revision;
    }

    private static void addTree(Map<String, Path> files, Path root, String prefix, boolean skipLocal) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new InstallerException(root + " not found");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                Path relative = root.relativize(path);
                if (skipLocal && (NOT_BUNDLED.contains(relative.getName(0).toString()) || secret(path.getFileName().toString()))) {
                    continue;
                }
                files.put(prefix + "/" + relative.toString().replace('\\', '/'), path);
            }
        }
    }

    /**
     * A customer's secrets must never travel in a bundle, also not as a copy an editor or an admin left behind
     * (.env.bak, .env-1234.tmp) or a key placed somewhere else: these names are skipped anywhere under compose/.
     */
    static boolean secret(String name) {
        return name.startsWith(".env") || name.endsWith(".lic") || name.endsWith(".pem") || name.endsWith(".key");
    }

    private static void check(String step, CommandResult result) {
        if (!result.succeeded()) {
            throw new InstallerException(step + " failed: " + result.lastErrorLine());
        }
    }

    private static Path workDir(Path near) {
        try {
            Files.createDirectories(near);
            return Files.createTempDirectory(near, ".gatehouse-bundle-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new InstallerException("cannot create a working directory in " + near + ": " + e.getMessage());
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
