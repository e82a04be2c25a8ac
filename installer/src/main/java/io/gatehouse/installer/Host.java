package io.gatehouse.installer;

import io.gatehouse.installer.preflight.SystemProbes;
import io.gatehouse.installer.process.CommandRunner;
import io.gatehouse.installer.process.ProcessCommandRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the installer takes from the machine it runs on, in one place so tests can replace it: the programs it
 * runs, the terminal, the environment, the installation's home (where compose/ lives), the Docker socket, the clock.
 *
 * @param home the directory holding compose/, installer.sh and (in a bundle) runtime/: GATEHOUSE_HOME, else derived
 *             from where the jar is (installer/target/x.jar in a checkout, installer/x.jar in a bundle)
 */
public record Host(CommandRunner runner, Prompter prompter, Map<String, String> env, Path home, Path dockerSocket,
                   Clock clock, Sleeper sleeper, SystemProbes probes, boolean root) {

    public static Host real(PrintWriter out, PrintWriter err) {
        Map<String, String> env = System.getenv();
        return new Host(new ProcessCommandRunner(out, err), Prompter.console(), env, home(env),
                Path.of("/var/run/docker.sock"), Clock.systemUTC(), Sleeper.real(), SystemProbes.real(), isRoot());
    }

    private static Path home(Map<String, String> env) {
        String configured = env.get("GATEHOUSE_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            // installer/target/gatehouse-installer.jar (checkout) or installer/gatehouse-installer.jar (bundle)
            if (dir.getFileName() != null && dir.getFileName().toString().equals("target")) {
                dir = dir.getParent();
            }
            return dir.getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** True when home is a source checkout (it has the Maven build), false in an unpacked bundle. */
    public boolean sourceCheckout() {
        return Files.isRegularFile(home.resolve("pom.xml")) && Files.isRegularFile(home.resolve("docker/base-image/build.sh"));
    }
}
