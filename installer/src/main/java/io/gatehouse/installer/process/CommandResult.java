package io.gatehouse.installer.process;

import java.util.Arrays;
import java.util.List;

/** Exit code and captured output (empty when streamed or sent to a file). 127: the program was not found. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public static final int NOT_FOUND = 127;
    public static final int TIMED_OUT = 124;

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    public static CommandResult failed(int code, String stderr) {
        return new CommandResult(code, "", stderr);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public List<String> stdoutLines() {
        return stdout.isBlank() ? List.of() : Arrays.stream(stdout.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The last non-blank line of stderr (or stdout), for a one-sentence error message. */
    public String lastErrorLine() {
        String text = stderr.isBlank() ? stdout : stderr;
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
