package io.gatehouse.stack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as its own process, as in the container: SIGTERM stops it cleanly, and an acknowledged write is on disk
 * even when the process is killed without warning (the next start on the same file sees it).
 */
class MongoWireProcessTest {

    private static final Pattern READY = Pattern.compile("mongo-wire ready on [^:]+:(\\d+)");

    @TempDir
    Path dir;

    private Process process;
    private Thread reader;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private int launch() throws Exception {
        output.clear();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MongoWireServer.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("MONGO_WIRE_DATA_DIR", dir.resolve("data").toString(), "MONGO_WIRE_BIND", "127.0.0.1",
                "MONGO_WIRE_PORT", "0"));
        process = builder.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.reader = Thread.ofVirtual().start(() -> reader.lines().forEach(output::add));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            for (String line : output) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("mongo-wire exited early: " + output);
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("mongo-wire did not report ready: " + output);
    }

    @Test
    void anAcknowledgedWriteSurvivesTheProcessBeingKilled() throws Exception {
        int port = launch();
        try (MongoClient client = MongoWireServerTest.client(port)) {
            MongoCollection<Document> conversations = client.getDatabase("gatehouse").getCollection("conversations");
            MongoWireServerTest.createPortalIndexes(conversations, client.getDatabase("gatehouse").getCollection("messages"));
            conversations.insertOne(MongoWireServerTest.conversation("killed", "u1", Instant.parse("2025-03-01T00:00:00Z")));
            conversations.updateOne(Filters.eq("_id", "killed"), new Document("$set", new Document("title", "after update")));
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no background commit afterwards
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        port = launch();
        try (MongoClient client = MongoWireServerTest.client(port)) {
            Document found = client.getDatabase("gatehouse").getCollection("conversations").find(Filters.eq("_id", "killed")).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("title")).isEqualTo("after update");
        }
    }

    @Test
    void sigtermStopsTheServerCleanlyAndKeepsTheData() throws Exception {
        int port = launch();
        try (MongoClient client = MongoWireServerTest.client(port)) {
            client.getDatabase("gatehouse").getCollection("messages").insertOne(new Document("_id", "m1").append("text", "hello"));
        }
        // SIGTERM, as docker stop sends. Not Process.destroy(): it also closes our end of the output pipe.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(reader.join(Duration.ofSeconds(10))).as("read all output").isTrue();
        assertThat(process.exitValue()).as(String.join("\n", output)).isEqualTo(143); // 128 + SIGTERM: the JVM's exit after its shutdown hooks
        assertThat(String.join("\n", output)).contains("mongo-wire stopped; store closed");

        port = launch();
        try (MongoClient client = MongoWireServerTest.client(port)) {
            Document found = client.getDatabase("gatehouse").getCollection("messages").find(Filters.eq("_id", "m1")).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("text")).isEqualTo("hello");
        }
    }
}
