package io.gatehouse.installer.preflight;

import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Docker engine answers this user and is 20.10 or newer. */
final class DockerEngineCheck implements Check {

    static final String NAME = "docker engine";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    @Override
    public List<CheckResult> run(PreflightContext context) {
        CommandResult result = context.host().runner().run(Command.of("docker", "version", "--format", "{{.Server.Version}}"));
        if (result.exitCode() == CommandResult.NOT_FOUND) {
            return List.of(CheckResult.fail(NAME, "docker not found: install Docker Engine 20.10+ (Debian: apt-get install docker.io)"));
        }
        String text = (result.stdout() + " " + result.stderr()).toLowerCase();
        if (text.contains("permission denied")) {
            return List.of(CheckResult.fail(NAME, "no permission to use the Docker engine: add yourself to the docker group"
                    + " (usermod -aG docker $USER, then sign in again) or run as root"));
        }
        Matcher m = VERSION.matcher(result.stdout());
        if (!result.succeeded() || !m.find()) {
            return List.of(CheckResult.fail(NAME, "the Docker engine does not answer (" + result.lastErrorLine()
                    + "): start it (systemctl start docker)"));
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 20 || (major == 20 && minor < 10)) {
            return List.of(CheckResult.fail(NAME, "Docker " + result.stdout().strip() + " is too old: upgrade to 20.10 or newer"));
        }
        return List.of(CheckResult.pass(NAME, "Docker " + result.stdout().strip()));
    }
}
