package io.gatehouse.installer.process;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** {@link CommandRunner} over {@link ProcessBuilder}: output captured, streamed to the installer's writers, or to a file. */
public final class ProcessCommandRunner implements CommandRunner {

    private final PrintWriter out;
    private final PrintWriter err;

    public ProcessCommandRunner(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public CommandResult run(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(command.env());
        if (command.directory() != null) {
            builder.directory(command.directory().toFile());
        }
        builder.redirectInput(command.stdinFile() != null
                ? ProcessBuilder.Redirect.from(command.stdinFile().toFile()) : ProcessBuilder.Redirect.PIPE);
        if (command.stdoutFile() != null) {
            builder.redirectOutput(command.stdoutFile().toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return CommandResult.failed(CommandResult.NOT_FOUND, command.argv().getFirst() + ": " + e.getMessage());
        }
        if (command.stdinFile() == null) {
            closeQuietly(process);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread outPump = command.stdoutFile() != null ? null
                : pump(process.getInputStream(), stdout, command.stream() ? out : null);
        Thread errPump = pump(process.getErrorStream(), stderr, command.stream() ? err : null);
        try {
            boolean finished;
            if (command.timeout().isZero()) {
                process.waitFor();
                finished = true;
            } else {
                finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            if (outPump != null) {
                outPump.join();
            }
            errPump.join();
            String capturedErr = stderr.toString(StandardCharsets.UTF_8);
            if (!finished) {
                return new CommandResult(CommandResult.TIMED_OUT, stdout.toString(StandardCharsets.UTF_8),
                        capturedErr + "\n" + command.argv().getFirst() + " did not finish within " + command.timeout().toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), stdout.toString(StandardCharsets.UTF_8), capturedErr);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return CommandResult.failed(130, "interrupted");
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the program exited already
        }
    }

    /** Copies a process stream into a buffer, and line by line to a writer when streaming. */
    private static Thread pump(InputStream in, ByteArrayOutputStream buffer, PrintWriter echo) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                if (echo == null) {
                    in.transferTo(buffer);
                    return;
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    echo.println(line);
                    echo.flush();
                    // keep the first 64 KiB for error messages: a build prints megabytes
                    if (buffer.size() < 64 * 1024) {
                        buffer.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
