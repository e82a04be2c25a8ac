package io.gatehouse.installer;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --dir}: the compose project directory (default: compose/ in the installation's home). */
public final class DirOption {

    @Option(names = "--dir", paramLabel = "DIR", description = "The compose directory (default: compose/ next to installer.sh).")
    Path dir;

    public Path resolve(Host host) {
        return (dir != null ? dir : host.home().resolve("compose")).toAbsolutePath().normalize();
    }
}
