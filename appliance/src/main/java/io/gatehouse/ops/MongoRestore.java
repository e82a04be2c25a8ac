package io.gatehouse.ops;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * {@code mongo-restore FILE}: replaces every collection of the portal's MongoDB database with the dump's.
 *
 * <p>The file is read twice. The first pass checks everything without touching the database: the header, that every
 * line is a document of a listed collection, each collection's line count, the SHA-256 of all document lines and the
 * gzip checksums. Only then does the second pass drop the database's collections (those in the dump and any others,
 * so the result is exactly the dump), recreate each dumped collection with its indexes and insert its documents in
 * batches of {@value #BATCH}, in file order. Reading twice, rather than staging into temporary collections, keeps the
 * database's size unchanged and needs no rename, which mongo-java-server does not offer across databases.
 */
final class MongoRestore {

    static final int BATCH = 1_000;

    private final OpsStores stores;
    private final PrintStream out;

    MongoRestore(OpsStores stores, PrintStream out) {
        this.stores = stores;
        this.out = out;
    }

    void run(Path file) throws IOException {
        DumpFormat.Header header = verify(file);
        try (MongoClient client = stores.mongoClient()) {
            MongoDatabase database = client.getDatabase(stores.mongoDatabase());
            restore(database, header, file);
        } catch (com.mongodb.MongoException e) {
            throw new OpsException("The restore into MongoDB failed part way (" + e.getMessage() + "); run mongo-restore again"
                    + " with the same file, it replaces every collection.", e);
        }
    }

    /** The first pass: the whole file is sound, or an {@link OpsException} says what is wrong. */
    DumpFormat.Header verify(Path file) throws IOException {
        try (BufferedReader reader = open(file)) {
            String first = reader.readLine();
            if (first == null) {
                throw DumpFormat.notADump();
            }
            DumpFormat.Header header = DumpFormat.Header.parse(first);
            Map<String, Long> expected = new LinkedHashMap<>();
            header.collections().forEach(c -> expected.put(c.name(), c.count()));
            Map<String, Long> seen = new LinkedHashMap<>();
            MessageDigest sha256 = MongoDump.sha256();
            long lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                sha256.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                DumpFormat.DocumentLine document = DumpFormat.DocumentLine.parse(line, lineNumber);
                if (!expected.containsKey(document.collection())) {
                    throw DumpFormat.damaged("line " + lineNumber + " belongs to '" + document.collection() + "', which the header does not list");
                }
                seen.merge(document.collection(), 1L, Long::sum);
            }
            for (Map.Entry<String, Long> c : expected.entrySet()) {
                long lines = seen.getOrDefault(c.getKey(), 0L);
                if (lines != c.getValue()) {
                    throw DumpFormat.damaged("collection '" + c.getKey() + "' has " + lines + " documents, the header says " + c.getValue());
                }
            }
            if (!HexFormat.of().formatHex(sha256.digest()).equals(header.bodySha256())) {
                throw DumpFormat.damaged("the documents do not match the header's SHA-256");
            }
            return header;
        } catch (EOFException | ZipException | CharacterCodingException e) {
            throw DumpFormat.damaged("the gzip data is cut short or corrupt: " + e.getMessage());
        }
    }

    private void restore(MongoDatabase database, DumpFormat.Header header, Path file) throws IOException {
        Set<String> existing = new HashSet<>();
        database.listCollectionNames().forEach(existing::add);
        for (String name : existing) {
            if (!name.startsWith("system.")) {
                database.getCollection(name).drop();
            }
        }
        for (DumpFormat.Collection c : header.collections()) {
            database.createCollection(c.name());
            createIndexes(database, c);
        }
        Map<String, Long> inserted = new LinkedHashMap<>();
        try (BufferedReader reader = open(file)) {
            reader.readLine(); // the header, checked in the first pass
            String current = null;
            List<BsonDocument> batch = new ArrayList<>(BATCH);
            long lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                DumpFormat.DocumentLine document = DumpFormat.DocumentLine.parse(line, lineNumber);
                if (!document.collection().equals(current) || batch.size() == BATCH) {
                    flush(database, current, batch, inserted);
                    current = document.collection();
                }
                batch.add(document.document());
            }
            flush(database, current, batch, inserted);
        }
        for (DumpFormat.Collection c : header.collections()) {
            long count = database.getCollection(c.name()).countDocuments();
            if (count != c.count()) {
                throw new OpsException("After the restore collection '" + c.name() + "' holds " + count + " documents instead of "
                        + c.count() + "; is the portal running and writing to it? Stop it and run mongo-restore again.");
            }
            out.println(c.name() + ": " + count + " documents, " + nonIdIndexes(c).size() + " indexes besides _id");
        }
        long total = inserted.values().stream().mapToLong(Long::longValue).sum();
        out.println("Restored " + total + " documents in " + header.collections().size() + " collections into database '"
                + database.getName() + "' (dumped from '" + header.database() + "').");
    }

    private static void flush(MongoDatabase database, String collection, List<BsonDocument> batch, Map<String, Long> inserted) {
        if (batch.isEmpty()) {
            return;
        }
        MongoCollection<BsonDocument> target = database.getCollection(collection, BsonDocument.class);
        target.insertMany(batch); // ordered: the documents go in in file order
        inserted.merge(collection, (long) batch.size(), Long::sum);
        batch.clear();
    }

    /**
     * The dumped index specs through the createIndexes command, as listed by the server minus what a new index may
     * not carry (its version and namespace); {@code _id} comes with the collection.
     */
    private static void createIndexes(MongoDatabase database, DumpFormat.Collection collection) {
        List<BsonDocument> specs = nonIdIndexes(collection);
        if (specs.isEmpty()) {
            return;
        }
        BsonArray indexes = new BsonArray();
        for (BsonDocument spec : specs) {
            BsonDocument clean = spec.clone();
            clean.remove("v");
            clean.remove("ns");
            indexes.add(clean);
        }
        database.runCommand(new BsonDocument("createIndexes", new BsonString(collection.name())).append("indexes", indexes));
    }

    private static List<BsonDocument> nonIdIndexes(DumpFormat.Collection collection) {
        return collection.indexes().stream()
                .filter(spec -> !(spec.isString("name") && spec.getString("name").getValue().equals("_id_")))
                .toList();
    }

    private static BufferedReader open(Path file) throws IOException {
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16), decoder), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new OpsException("There is no dump file at " + file.toAbsolutePath() + ".");
        } catch (ZipException | EOFException e) {
            throw DumpFormat.notADump();
        }
    }
}
