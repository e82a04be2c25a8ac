package io.gatehouse.installer.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCommandRunnerTest {

    @TempDir Path tmp;
    private final StringWriter out = new StringWriter();
    private final ProcessCommandRunner runner = new ProcessCommandRunner(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));

    @Test
    void capturesOutputAndExitCode() {
        CommandResult result = runner.run(Command.of("sh", "-c", "echo hello; echo oops >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("hello\n");
        assertThat(result.lastErrorLine()).isEqualTo("oops");
    }

    @Test
    void feedsAFileToStdinAndWritesStdoutToAFile() throws Exception {
        Path in = Files.writeString(tmp.resolve("in"), "abc");
        Path target = tmp.resolve("out");

        CommandResult result = runner.run(Command.of("tr", "a-z", "A-Z").stdinFrom(in).stdoutTo(target));

        assertThat(result.succeeded()).isTrue();
        assertThat(target).hasContent("ABC");
    }

    @Test
    void streamsLinesToTheInstallersOutput() {
        runner.run(Command.of("sh", "-c", "echo one; echo two").streamed());

        assertThat(out.toString()).isEqualTo("one\ntwo\n");
    }

    @Test
    void aMissingProgramIs127AndAHangingOneIsStopped() {
        assertThat(runner.run(Command.of("no-such-program-gatehouse")).exitCode()).isEqualTo(CommandResult.NOT_FOUND);

        CommandResult hung = runner.run(Command.of("sleep", "30").timeout(Duration.ofMillis(200)));
        assertThat(hung.exitCode()).isEqualTo(CommandResult.TIMED_OUT);
        assertThat(hung.stderr()).contains("did not finish within");
    }
}
