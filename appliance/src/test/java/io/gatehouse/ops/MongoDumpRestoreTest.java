package io.gatehouse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.gatehouse.config.EmbeddedMongo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mongo-dump and mongo-restore through OpsMain against mongo-java-server (the in-memory backend the tests use and the
 * H2 file backend of the stack's mongo-wire image): every BSON type and every index comes back, and a damaged file
 * changes nothing.
 */
class MongoDumpRestoreTest {

    @TempDir
    Path dir;
    private EmbeddedMongo server;
    private MongoClient client;
    private MongoDatabase database;
    private Map<String, String> env;

    private void start(String backend) {
        server = backend.equals("h2") ? EmbeddedMongo.persistent(dir.resolve("mongo/gatehouse.mv")) : EmbeddedMongo.inMemory();
        client = MongoClients.create(server.uri());
        database = client.getDatabase("gatehouse");
        env = Map.of("GATEHOUSE_MONGODB_URI", server.uri());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "h2"})
    void dumpWipeRestoreGivesIdenticalDocumentsAndIndexes(String backend) throws Exception {
        start(backend);
        fill();
        Map<String, List<String>> before = documents();
        Map<String, List<String>> indexesBefore = indexes();
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path file = dumps.resolve("mongo.jsonl.gz");

        Run dump = ops("mongo-dump", file.toString());

        assertThat(dump.code).as(dump.err).isZero();
        assertThat(dump.out).contains("Dumped 2501 documents in 3 collections");
        String header = lines(file).getFirst();
        assertThat(header).startsWith("{\"format\":\"gatehouse-mongo-dump-1\",\"database\":\"gatehouse\"");
        assertThat(lines(file).get(1)).startsWith("{\"c\": \"conversations\", \"d\": {\"_id\": {\"$oid\": ");
        assertThat(dumps.toFile().list()).as("no temporary files left").containsExactly("mongo.jsonl.gz");

        wipe();
        database.getCollection("stray").insertOne(new Document("left", "over"));
        Run restore = ops("mongo-restore", file.toString());

        assertThat(restore.code).as(restore.err).isZero();
        assertThat(restore.out).contains("Restored 2501 documents in 3 collections");
        assertThat(documents()).as("every document, as canonical Extended JSON, in order").isEqualTo(before);
        assertThat(indexes()).isEqualTo(indexesBefore);
        assertThat(database.listCollectionNames().into(new ArrayList<>())).doesNotContain("stray");
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "edited document", "edited count", "not a dump", "missing"})
    void aDamagedFileIsRefusedAndNothingChanges(String damage) throws Exception {
        start("memory");
        fill();
        Path file = dir.resolve("mongo.jsonl.gz");
        assertThat(ops("mongo-dump", file.toString()).code).isZero();
        database.getCollection("messages").insertOne(new Document("after", "the dump"));
        Map<String, List<String>> before = documents();
        Path bad = dir.resolve("bad.jsonl.gz");
        switch (damage) {
            case "truncated" -> {
                byte[] bytes = Files.readAllBytes(file);
                Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 200));
            }
            case "edited document" -> rewrite(file, bad, line -> line.replace("\"text\": \"hello 7\"", "\"text\": \"hellO 7\""));
            case "edited count" -> rewrite(file, bad, line -> line.replace("\"count\":2500", "\"count\":2499"));
            case "not a dump" -> Files.writeString(bad, "just some text");
            default -> { }
        }

        Run restore = ops("mongo-restore", bad.toString());

        assertThat(restore.code).isEqualTo(1);
        assertThat(restore.err.strip()).as("one sentence").doesNotContain("\n").matches(switch (damage) {
            case "not a dump" -> ".*is not a Gatehouse MongoDB dump.*nothing was changed.*";
            case "missing" -> "There is no dump file at .*";
            case "edited document" -> ".*do not match the header's SHA-256.*nothing was changed.*";
            case "edited count" -> ".*collection 'messages' has 2500 documents, the header says 2499.*";
            default -> ".*damaged.*nothing was changed.*";
        });
        assertThat(documents()).isEqualTo(before);
    }

    private void fill() {
        ObjectId conversation = new ObjectId();
        database.getCollection("conversations").insertOne(new Document("_id", conversation)
                .append("userId", UUID.randomUUID().toString())
                .append("updatedAt", new Date(1_764_000_000_123L))
                .append("title", "Q3 \"numbers\"\nsecond line, ünïcødé, emoji \uD83D\uDE00")
                .append("tokens", 9_007_199_254_740_993L)
                .append("small", 7)
                .append("ratio", 0.1)
                .append("price", Decimal128.parse("12.3400"))
                .append("raw", new Binary(new byte[] {0, 1, 2, (byte) 255}))
                .append("uuid", new Binary(BsonBinarySubType.UUID_STANDARD, new byte[16]))
                .append("nested", List.of(List.of(1, 2L, "three"), new Document("deep", List.of(new Document("x", null)))))
                .append("flag", true));
        List<Document> messages = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            messages.add(new Document("conversationId", conversation).append("createdAt", new Date(1_764_000_000_000L + i))
                    .append("seq", (long) i).append("text", "hello " + i));
        }
        database.getCollection("messages").insertMany(messages);
        database.getCollection("conversations").createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("updatedAt")));
        database.getCollection("messages").createIndex(Indexes.ascending("seq"), new IndexOptions().unique(true).name("seq_unique"));
        database.createCollection("empty");
        database.getCollection("empty").createIndex(Indexes.ascending("x"));
    }

    private void wipe() {
        for (String name : database.listCollectionNames().into(new ArrayList<>())) {
            database.getCollection(name).drop();
        }
        assertThat(documents()).isEmpty();
    }

    /** Every collection's documents as canonical Extended JSON, in natural order. */
    private Map<String, List<String>> documents() {
        Map<String, List<String>> all = new TreeMap<>();
        for (String name : database.listCollectionNames().into(new ArrayList<>())) {
            List<String> docs = new ArrayList<>();
            database.getCollection(name, BsonDocument.class).find().forEach(d -> docs.add(d.toJson(DumpFormat.EXTENDED)));
            all.put(name, docs);
        }
        return all;
    }

    private Map<String, List<String>> indexes() {
        Map<String, List<String>> all = new TreeMap<>();
        for (String name : database.listCollectionNames().into(new ArrayList<>())) {
            List<String> specs = new ArrayList<>();
            database.getCollection(name).listIndexes(BsonDocument.class).forEach(spec -> {
                spec.remove("v");
                spec.remove("ns");
                specs.add(spec.toJson(DumpFormat.EXTENDED));
            });
            specs.sort(null);
            all.put(name, specs);
        }
        assertThat(all.get("messages")).anyMatch(s -> s.contains("seq_unique") && s.contains("\"unique\": true"));
        return all;
    }

    private static List<String> lines(Path file) throws IOException {
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The dump with each line changed, compressed again: the gzip is sound, the content is not. */
    private static void rewrite(Path from, Path to, Function<String, String> edit) throws IOException {
        List<String> lines = lines(from);
        List<String> edited = lines.stream().map(edit).toList();
        assertThat(edited).as("the edit applies").isNotEqualTo(lines);
        try (var out = new GZIPOutputStream(Files.newOutputStream(to))) {
            out.write((String.join("\n", edited) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    record Run(int code, String out, String err) {
    }

    private Run ops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OpsMain.run(env, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
