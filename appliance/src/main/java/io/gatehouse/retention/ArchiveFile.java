package io.gatehouse.retention;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditChain;
import io.gatehouse.audit.AuditRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An audit archive file: gzip-compressed JSON Lines, one audit row per line with every column (hashes in hex, the
 * time with exactly six fractional digits in UTC, details as the JSON text that was hashed), oldest first. Written
 * to a {@code .partial} name, fsynced, then renamed, so a file with the final name is always complete. A
 * {@code sha256sum}-style companion file names its SHA-256. See docs/audit-archival.md.
 */
final class ArchiveFile {

    /** Fixed precision, so the text is exactly the microseconds that were hashed and easy to parse anywhere. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final ObjectMapper READER = new ObjectMapper();

    private ArchiveFile() {
    }

    /** What a finished (or re-read) file holds. */
    record Summary(Path file, String sha256, long rows, long firstSeq, long lastSeq, String lastHash) {
    }

    /** Writes rows one at a time; {@link #finish()} makes the file durable under its final name. */
    static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path partial;
        private final FileChannel channel;
        private final MessageDigest sha = AuditChain.sha256();
        private final GZIPOutputStream gzip;
        private final JsonGenerator out;
        private long rows;
        private long firstSeq;
        private long lastSeq;
        private byte[] lastHash;
        private boolean finished;

        Writer(Path target) throws IOException {
            this.target = target;
            this.partial = target.resolveSibling(target.getFileName() + ".partial");
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.deleteIfExists(partial); // left by a run that died while writing
            this.channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            restrict(partial);
            this.gzip = new GZIPOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), sha), 64 * 1024);
            this.out = JSON.createGenerator(gzip);
            out.setRootValueSeparator(null);
        }

        void add(AuditRecord row) throws IOException {
            out.writeStartObject();
            out.writeNumberField("seq", row.seq());
            out.writeStringField("occurred_at", TIME.format(row.occurredAt()));
            out.writeStringField("actor_id", row.actorId() == null ? null : row.actorId().toString());
            out.writeStringField("actor_email", row.actorEmail());
            out.writeStringField("action", row.action());
            out.writeStringField("outcome", row.outcome());
            out.writeStringField("target_type", row.targetType());
            out.writeStringField("target_id", row.targetId());
            out.writeStringField("connector", row.connector());
            out.writeStringField("ip", row.ip());
            out.writeStringField("user_agent", row.userAgent());
            out.writeStringField("request_id", row.requestId());
            out.writeStringField("details", row.details());
            out.writeStringField("prev_hash", HexFormat.of().formatHex(row.prevHash()));
            out.writeStringField("hash", HexFormat.of().formatHex(row.hash()));
            out.writeEndObject();
            out.writeRaw('\n');
            if (rows == 0) {
                firstSeq = row.seq();
            }
            rows++;
            lastSeq = row.seq();
            lastHash = row.hash();
        }

        /** Flushes, fsyncs, renames to the final name, fsyncs the directory, writes the checksum file. */
        Summary finish() throws IOException {
            out.flush();
            gzip.finish();
            gzip.flush();
            channel.force(true);
            channel.close();
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            String hex = HexFormat.of().formatHex(sha.digest());
            Path checksum = target.resolveSibling(target.getFileName() + ".sha256");
            try (FileChannel c = FileChannel.open(checksum, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                restrict(checksum);
                c.write(StandardCharsets.US_ASCII.encode(hex + "  " + target.getFileName() + "\n"));
                c.force(true);
            }
            syncDirectory(target.getParent());
            finished = true;
            return new Summary(target, hex, rows, firstSeq, lastSeq, lastHash == null ? "" : HexFormat.of().formatHex(lastHash));
        }

        /** Without {@link #finish()}: the partial file is removed. */
        @Override
        public void close() throws IOException {
            if (!finished) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    /** Reads a file back: its SHA-256 over the bytes on disk, the number of lines, the first and last seq, the last hash. */
    static Summary read(Path file) throws IOException {
        MessageDigest sha = AuditChain.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        long rows = 0;
        long first = 0;
        JsonNode last = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                last = READER.readTree(line);
                if (rows == 0) {
                    first = last.path("seq").asLong();
                }
                rows++;
            }
        }
        return new Summary(file, HexFormat.of().formatHex(sha.digest()), rows, first, last == null ? 0 : last.path("seq").asLong(),
                last == null ? "" : last.path("hash").asText());
    }

    static void restrict(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    /** Makes the rename itself durable (POSIX: fsync the directory). Not possible on every platform; then skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; NTFS orders the rename itself.
        }
    }
}
