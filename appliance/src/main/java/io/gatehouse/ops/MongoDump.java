package io.gatehouse.ops;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.bson.BsonDocument;

/**
 * {@code mongo-dump FILE}: every collection of the portal's MongoDB database into one gzip file ({@link DumpFormat}).
 *
 * <p>The header comes first but holds the counts and the body's hash, known only at the end; so the documents are
 * streamed (a cursor, never a list) into a temporary gzip member next to the target, and the file is then the header's
 * own gzip member followed by that body member, copied as bytes (gzip readers read concatenated members as one
 * stream). It is written under a temporary name, fsynced and renamed, so FILE is either complete or not there.
 */
final class MongoDump {

    private static final int BATCH = 1_000;

    private final OpsStores stores;
    private final PrintStream out;

    MongoDump(OpsStores stores, PrintStream out) {
        this.stores = stores;
        this.out = out;
    }

    void run(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new OpsException("Cannot write the dump: the directory " + dir + " does not exist or is not writable.");
        }
        Path body = Files.createTempFile(dir, ".mongo-dump-", ".body");
        Path partial = dir.resolve("." + target.getFileName() + ".partial");
        try (MongoClient client = stores.mongoClient()) {
            MongoDatabase database = client.getDatabase(stores.mongoDatabase());
            MessageDigest sha256 = sha256();
            List<DumpFormat.Collection> collections = writeBody(database, body, sha256);
            DumpFormat.Header header = new DumpFormat.Header(database.getName(), HexFormat.of().formatHex(sha256.digest()), collections);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
                GZIPOutputStream headerMember = new GZIPOutputStream(raw);
                headerMember.write((header.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
                headerMember.finish(); // ends the member; the channel stays open for the body member
                Files.copy(body, raw);
                raw.flush();
                channel.force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            long documents = collections.stream().mapToLong(DumpFormat.Collection::count).sum();
            for (DumpFormat.Collection c : collections) {
                out.println(c.name() + ": " + c.count() + " documents, " + c.indexes().size() + " indexes");
            }
            out.println("Dumped " + documents + " documents in " + collections.size() + " collections of database '"
                    + database.getName() + "' to " + target + " (" + Files.size(target) + " bytes).");
        } catch (com.mongodb.MongoException e) {
            throw new OpsException("Could not read MongoDB at " + redacted() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(body);
            Files.deleteIfExists(partial);
        }
    }

    private List<DumpFormat.Collection> writeBody(MongoDatabase database, Path body, MessageDigest sha256) throws IOException {
        List<String> names = new ArrayList<>();
        database.listCollectionNames().forEach(name -> {
            if (!name.startsWith("system.")) {
                names.add(name);
            }
        });
        names.sort(null);
        List<DumpFormat.Collection> collections = new ArrayList<>();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(body), 1 << 16);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
             Writer lines = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(gzip, sha256), StandardCharsets.UTF_8), 1 << 16)) {
            for (String name : names) {
                MongoCollection<BsonDocument> collection = database.getCollection(name, BsonDocument.class);
                List<BsonDocument> indexes = new ArrayList<>();
                collection.listIndexes(BsonDocument.class).forEach(indexes::add);
                long count = 0;
                try (MongoCursor<BsonDocument> cursor = collection.find().batchSize(BATCH).iterator()) {
                    while (cursor.hasNext()) {
                        lines.write(DumpFormat.documentLine(name, cursor.next()));
                        lines.write('\n');
                        count++;
                    }
                }
                collections.add(new DumpFormat.Collection(name, count, List.copyOf(indexes)));
            }
            lines.flush();
            gzip.finish();
            file.flush();
        }
        try (FileChannel channel = FileChannel.open(body, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return collections;
    }

    /** The rename itself survives a crash only once the directory entry is on disk. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory; the file's own data is already on disk.
        }
    }

    private String redacted() {
        return new com.mongodb.ConnectionString(stores.mongoUri()).getHosts().toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
