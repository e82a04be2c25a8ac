package io.gatehouse.installer.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One external command: argv, extra environment, working directory, and where its input and output go.
 * {@code stream} copies the output line by line to the installer's own output as it comes (image builds, logs -f);
 * otherwise it is captured. {@code stdoutFile} sends stdout to a file instead (pg_dump); {@code stdinFile} feeds a file
 * to stdin (pg_restore). A zero timeout means none (logs -f).
 */
public record Command(List<String> argv, Map<String, String> env, Path directory, Duration timeout,
                      Path stdinFile, Path stdoutFile, boolean stream) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null, DEFAULT_TIMEOUT, null, null, false);
    }

    public Command in(Path dir) {
        return new Command(argv, env, dir, timeout, stdinFile, stdoutFile, stream);
    }

    public Command withEnv(Map<String, String> extra) {
        return new Command(argv, extra, directory, timeout, stdinFile, stdoutFile, stream);
    }

    public Command timeout(Duration t) {
        return new Command(argv, env, directory, t, stdinFile, stdoutFile, stream);
    }

    public Command stdinFrom(Path file) {
        return new Command(argv, env, directory, timeout, file, stdoutFile, stream);
    }

    public Command stdoutTo(Path file) {
        return new Command(argv, env, directory, timeout, stdinFile, file, stream);
    }

    public Command streamed() {
        return new Command(argv, env, directory, timeout, stdinFile, stdoutFile, true);
    }

    /** The command line as a person would type it (for messages and for the scripted runner in tests). */
    public String line() {
        return String.join(" ", argv);
    }
}
