package io.gatehouse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.EmbeddedMongo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the installer meets OpsMain: exit codes, one sentence on stderr, and stdout left to the command's output. */
class OpsMainTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "frobnicate", "admin-reset", "mongo-dump"})
    void aWrongCommandLineExitsWithTwoAndOneLine(String commandLine) {
        Run run = run(Map.of(), commandLine.isEmpty() ? new String[0] : commandLine.split(" "));

        assertThat(run.code).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.strip()).isNotEmpty().doesNotContain("\n");
    }

    @Test
    void withoutThePortalsEnvironmentItSaysWhatIsMissing() {
        Run dump = run(Map.of(), "mongo-dump", dir.resolve("x.jsonl.gz").toString());
        Run reset = run(Map.of(), "admin-reset", "--email", "a@example.test");

        assertThat(dump.code).isEqualTo(1);
        assertThat(dump.err).startsWith("GATEHOUSE_MONGODB_URI is not set");
        assertThat(reset.code).isEqualTo(1);
        assertThat(reset.err).startsWith("GATEHOUSE_DATABASE_URL is not set");
    }

    /** As the installer runs it: its own JVM, the environment as variables, logs kept off stdout. */
    @Test
    void theMainMethodInItsOwnProcess() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Path file = dir.resolve("mongo.jsonl.gz");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), OpsMain.class.getName(), "mongo-dump", file.toString());
            builder.environment().clear();
            builder.environment().put("GATEHOUSE_MONGODB_URI", mongo.uri());
            builder.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            List<String> stdout = Files.readAllLines(dir.resolve("stdout"));
            assertThat(process.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
            assertThat(stdout.getLast()).startsWith("Dumped 0 documents in 0 collections of database 'gatehouse'");
            assertThat(stdout).allMatch(line -> line.startsWith("Dumped"));
            assertThat(file).exists();
        }
    }

    record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OpsMain.run(env, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
