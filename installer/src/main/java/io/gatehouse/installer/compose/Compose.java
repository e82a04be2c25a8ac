package io.gatehouse.installer.compose;

import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;
import io.gatehouse.installer.process.CommandRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds docker compose command lines for v2 ({@code docker compose}) and v1 ({@code docker-compose} 1.29+) alike:
 * project name gatehouse, the project directory, its .env, and the compose files named by COMPOSE_FILE (passed as
 * {@code -f} so both versions read the same files whatever their COMPOSE_FILE handling).
 */
public final class Compose {

    public static final String PROJECT = "gatehouse";
    private static final Pattern V1_VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    public enum Flavour { V2, V1 }

    private final Flavour flavour;
    private final Path dir;
    private final List<String> files;

    public Compose(Flavour flavour, Path dir, String composeFile) {
        this.flavour = flavour;
        this.dir = dir;
        this.files = Arrays.stream((composeFile == null || composeFile.isBlank() ? "docker-compose.yml" : composeFile).split(":"))
                .filter(f -> !f.isBlank()).toList();
    }

    /** {@code docker compose version} first, then {@code docker-compose version} (1.29 or newer). */
    public static Flavour detect(CommandRunner runner) {
        if (runner.run(Command.of("docker", "compose", "version")).succeeded()) {
            return Flavour.V2;
        }
        CommandResult v1 = runner.run(Command.of("docker-compose", "version", "--short"));
        if (v1.succeeded()) {
            Matcher m = V1_VERSION.matcher(v1.stdout());
            if (m.find()) {
                int major = Integer.parseInt(m.group(1));
                int minor = Integer.parseInt(m.group(2));
                if (major > 1 || (major == 1 && minor >= 29)) {
                    return Flavour.V1;
                }
                throw new InstallerException("docker-compose " + m.group() + " is too old: install the docker-compose-plugin"
                        + " package (docker compose v2) or docker-compose 1.29+");
            }
        }
        throw new InstallerException("Docker Compose not found: install the docker-compose-plugin package (or docker-compose 1.29+)");
    }

    public Flavour flavour() {
        return flavour;
    }

    public Path dir() {
        return dir;
    }

    public List<String> argv(String... args) {
        return argv(List.of(args));
    }

    public List<String> argv(List<String> args) {
        List<String> argv = new ArrayList<>(flavour == Flavour.V2 ? List.of("docker", "compose") : List.of("docker-compose"));
        argv.addAll(List.of("--project-name", PROJECT, "--project-directory", dir.toString(), "--env-file", dir.resolve(".env").toString()));
        for (String file : files) {
            argv.add("-f");
            argv.add(dir.resolve(file).toString());
        }
        argv.addAll(args);
        return argv;
    }

    public Command command(String... args) {
        return Command.of(argv(args)).in(dir);
    }

    public Command command(List<String> args) {
        return Command.of(argv(args)).in(dir);
    }
}
