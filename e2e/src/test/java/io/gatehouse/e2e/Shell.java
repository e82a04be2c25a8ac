package io.gatehouse.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command as IT would in a terminal: output captured (and echoed to the test log), a deadline, an exit code. */
final class Shell {

    record Result(int exitCode, String output) {
        Result orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + tail(output, 60));
            }
            return this;
        }
    }

    private Shell() {
    }

    static Result run(Path workDir, Duration timeout, String... command) {
        System.out.println("$ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("CI", System.getenv().getOrDefault("CI", "true"));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> echo(process.getInputStream()));
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + tail(output.getNow(""), 60));
            }
            return new Result(process.exitValue(), output.join());
        } catch (IOException e) {
            throw new AssertionError("Could not run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    static String ok(Path workDir, String... command) {
        return run(workDir, Duration.ofMinutes(5), command).orFail(String.join(" ", command)).output().strip();
    }

    private static String echo(InputStream in) {
        StringBuilder all = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                String chunk = new String(buffer, 0, n, StandardCharsets.UTF_8);
                System.out.print(chunk);
                all.append(chunk);
            }
        } catch (IOException e) {
            all.append("\n[output lost: ").append(e.getMessage()).append(']');
        }
        return all.toString();
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
