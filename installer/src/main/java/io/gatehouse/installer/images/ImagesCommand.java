package io.gatehouse.installer.images;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.Version;
import io.gatehouse.installer.compose.Images;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;
import picocli.CommandLine;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Builds every image from a source checkout: base image, service images (Debian packages), then the Jib images. */
@CommandLine.Command(name = "images", description = "Builds every Gatehouse image from this source checkout (needs root: debootstrap).")
public final class ImagesCommand implements Callable<Integer> {

    private static final Duration BUILD = Duration.ofHours(2);
    private final Host host;
    @Spec CommandSpec spec;

    public ImagesCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!host.sourceCheckout()) {
            throw new InstallerException("this is a bundle: use ./installer.sh load BUNDLE.tar (images are built from a source checkout)");
        }
        if (!host.root()) {
            throw new InstallerException("installer images needs root: the base and service image scripts use debootstrap and chroot (run it with sudo)");
        }
        step(out, "base image", Command.of("docker/base-image/build.sh"));
        step(out, "service images", Command.of("docker/service-images/build.sh", "all"));
        CommandResult rev = host.runner().run(Command.of("git", "rev-parse", "HEAD").in(host.home()));
        String revision = rev.succeeded() && !rev.stdout().isBlank() ? rev.stdout().strip() : "unknown";
        // scripts/jdk.sh picks the JDK 25 exactly as ./gatehouse does
        step(out, "Java images", Command.of("bash", "-c", ". scripts/jdk.sh && find_jdk && export PATH=\"$JAVA_HOME/bin:$PATH\" && exec ./mvnw \"$@\"",
                "mvnw", "-B", "-DskipTests", "package", "-pl", "appliance,connectors/sql,stack/mongo-wire,stack/docker-proxy", "-am",
                "-Dgatehouse.revision=" + revision));
        List<String> missing = Images.missing(host.runner(), Images.all(Version.imageTag()));
        if (!missing.isEmpty()) {
            throw new InstallerException("the builds finished but these images are missing: " + String.join(", ", missing)
                    + ": see the build output above");
        }
        out.println("every image of Gatehouse " + Version.imageTag() + " is built (revision " + revision + ")");
        return 0;
    }

    private void step(PrintWriter out, String what, Command command) {
        out.println("== building the " + what + ": " + command.line());
        out.flush();
        CommandResult result = host.runner().run(command.in(host.home()).streamed().timeout(BUILD));
        if (!result.succeeded()) {
            throw new InstallerException("building the " + what + " failed (exit " + result.exitCode() + ": " + result.lastErrorLine()
                    + "): see the output above");
        }
    }
}
