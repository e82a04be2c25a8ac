package io.gatehouse.retention;

import io.gatehouse.audit.AuditChain;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way audit rows leave the table. Rows older than the audit retention are written to a file (see
 * {@link ArchiveFile}), the file is fsynced and read back (SHA-256, row count, last row), an {@code audit.archived}
 * row is committed (fail closed), and then, connected as the database owner because the application login cannot
 * delete audit rows at all, one transaction records the archive (its last seq and hash become the chain's anchor)
 * and deletes the archived rows, which the trigger of V13__audit.sql allows for exactly those rows. The chain stays
 * verifiable: {@code ChainVerifier} starts from the newest anchor. Procedure: docs/audit-archival.md.
 */
@Singleton
class AuditArchival {

    /** One archival at a time across all portal nodes (a session lock on the owner connection). */
    private static final long ARCHIVAL_LOCK = 0x6172636869766531L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(AuditArchival.class);

    private final RetentionSettings settings;
    private final AuditTrail audit;
    private final Clock clock;
    private final String ownerUrl;
    private final String ownerUser;
    private final String ownerPassword;
    private final Path directory;
    private final SecureRandom random = new SecureRandom();

    AuditArchival(RetentionSettings settings, AuditTrail audit, Clock clock,
                  @Value("${gatehouse.database.owner-url}") String ownerUrl,
                  @Value("${gatehouse.database.owner-user}") String ownerUser,
                  @Value("${gatehouse.database.owner-password:}") String ownerPassword,
                  @Value("${gatehouse.audit.archive-dir:}") String archiveDir,
                  @Value("${gatehouse.data-dir}") String dataDir) {
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.ownerUrl = ownerUrl;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
        this.directory = (archiveDir.isBlank() ? Path.of(dataDir, "audit-archive") : Path.of(archiveDir)).toAbsolutePath();
    }

    /** An archival's outcome; {@code rows} 0 (and no file) when nothing was old enough. */
    record Archived(long rows, @Nullable String file, @Nullable String sha256, long firstSeq, long lastSeq, @Nullable String lastHash,
                    Instant cutoff, Instant archivedAt) {
    }

    Path directory() {
        return directory;
    }

    /** An administrator's "Archive now", with the configured audit retention. */
    Archived archiveNow(Caller admin) {
        Integer days = settings.current().auditDays();
        if (days == null) {
            throw new GatehouseException.Conflict("audit-kept-forever", "Audit rows are kept forever (no audit retention is set),"
                    + " so none are old enough to archive. Set an audit retention of at least " + RetentionSettings.MINIMUM_AUDIT_DAYS
                    + " days first.");
        }
        Instant now = clock.instant();
        return archiveBefore(settings.cutoff(now, days), admin.audit("audit.archived"));
    }

    /** The nightly run's archival, when an audit retention is set. */
    @Nullable
    Archived archiveNightly() {
        Integer days = settings.current().auditDays();
        return days == null ? null : archiveBefore(settings.cutoff(clock.instant(), days), AuditEvent.of("audit.archived"));
    }

    /** Archives every row that occurred before {@code cutoff} (a prefix of the chain: it stops at the first newer row). */
    Archived archiveBefore(Instant cutoff, AuditEvent.Builder event) {
        try (Connection owner = DriverManager.getConnection(ownerUrl, ownerUser, ownerPassword)) {
            if (!tryLock(owner)) {
                throw new GatehouseException.Conflict("audit-archival-running",
                        "An audit archival is already running (on this or another portal node). Try again when it has finished.");
            }
            owner.setAutoCommit(false);
            Anchor anchor = anchor(owner);
            long lastSeq = lastSeqBefore(owner, cutoff);
            if (lastSeq <= anchor.seq()) {
                owner.rollback();
                return new Archived(0, null, null, 0, anchor.seq(), null, cutoff, clock.instant());
            }
            if (!Files.isDirectory(directory)) { // a directory the operator provided keeps its own permissions
                Files.createDirectories(directory);
                ArchiveFile.restrict(directory);
            }
            Path file = directory.resolve(String.format("audit-%012d-%012d-%s.jsonl.gz", anchor.seq() + 1, lastSeq,
                    STAMP.format(clock.instant())));
            ArchiveFile.Summary written = write(owner, anchor, lastSeq, file);
            owner.rollback(); // the read transaction; nothing was changed
            ArchiveFile.Summary reread = ArchiveFile.read(file);
            if (!reread.sha256().equals(written.sha256()) || reread.rows() != written.rows() || reread.lastSeq() != lastSeq
                    || !reread.lastHash().equals(written.lastHash())) {
                discard(file);
                throw failure("The archive file " + file + " does not read back as written (" + reread + " vs " + written
                        + "); nothing was removed. Check the disk under " + directory + ".", null);
            }
            Instant archivedAt = clock.instant();
            try {
                audit.record(event.target("audit_archive", file.getFileName()).detail("file", file.getFileName().toString())
                        .detail("sha256", written.sha256()).detail("rows", written.rows()).detail("first_seq", written.firstSeq())
                        .detail("last_seq", lastSeq).detail("last_hash", written.lastHash()).detail("cutoff", cutoff.toString()));
            } catch (RuntimeException e) {
                discard(file);
                throw e;
            }
            try {
                removeArchived(owner, anchor, written, archivedAt);
            } catch (SQLException | RuntimeException e) {
                owner.rollback();
                discard(file);
                LOG.error("Audit archival of rows {}..{} failed after its audit row was written; nothing was removed: {}",
                        written.firstSeq(), lastSeq, e.getMessage());
                recordFailure(event, file, e);
                throw e instanceof GatehouseException g ? g : failure("The archived rows could not be removed: " + e.getMessage()
                        + ". Nothing was removed and the file was deleted; try again.", e);
            }
            LOG.info("Audit rows {}..{} ({} rows) archived to {} (SHA-256 {})", written.firstSeq(), lastSeq, written.rows(), file,
                    written.sha256());
            return new Archived(written.rows(), file.getFileName().toString(), written.sha256(), written.firstSeq(), lastSeq,
                    written.lastHash(), cutoff, archivedAt);
        } catch (SQLException e) {
            throw failure("Could not archive audit rows: " + e.getMessage() + ". Nothing was removed.", e);
        } catch (IOException e) {
            throw failure("Could not write the audit archive under " + directory + ": " + e.getMessage() + ". Nothing was removed.", e);
        }
    }

    private record Anchor(long seq, byte[] hash) {
    }

    private static boolean tryLock(Connection owner) throws SQLException {
        try (PreparedStatement lock = owner.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, ARCHIVAL_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static Anchor anchor(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select last_seq, last_hash from audit_archives order by last_seq desc limit 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? new Anchor(rs.getLong(1), rs.getBytes(2)) : new Anchor(0, AuditChain.GENESIS);
        }
    }

    /**
     * The last seq of the prefix of the chain whose rows all occurred before the cut-off. Times almost always grow
     * with seq, but nodes' clocks can differ a little, so this stops before the first newer row rather than taking
     * every older one.
     */
    private static long lastSeqBefore(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select coalesce((select min(seq) - 1 from audit_events where occurred_at >= ?),"
                + " (select max(seq) from audit_events), 0)")) {
            q.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Streams the rows into the file, checking the chain as it goes: a broken chain is not archived. */
    private ArchiveFile.Summary write(Connection c, Anchor anchor, long lastSeq, Path file) throws SQLException, IOException {
        try (ArchiveFile.Writer writer = new ArchiveFile.Writer(file);
             PreparedStatement rows = c.prepareStatement("select seq, occurred_at, actor_id, actor_email, action, outcome, target_type,"
                     + " target_id, connector, ip, user_agent, request_id, details, prev_hash, hash from audit_events"
                     + " where seq > ? and seq <= ? order by seq")) {
            rows.setFetchSize(2_000);
            rows.setLong(1, anchor.seq());
            rows.setLong(2, lastSeq);
            long expected = anchor.seq() + 1;
            byte[] prev = anchor.hash();
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    AuditRecord row = read(rs);
                    if (row.seq() != expected || !Arrays.equals(row.prevHash(), prev) || !Arrays.equals(AuditChain.hash(prev, row), row.hash())) {
                        throw new GatehouseException.Conflict("audit-chain-broken", "The audit trail does not verify at row " + row.seq()
                                + " (expected row " + expected + " continuing the chain), so nothing was archived: an archive must not"
                                + " anchor a broken chain. Run the chain verification on the Audit page and investigate first.");
                    }
                    writer.add(row);
                    prev = row.hash();
                    expected++;
                }
            }
            if (expected - 1 != lastSeq) {
                throw new GatehouseException.Conflict("audit-chain-broken", "Audit rows " + expected + " to " + lastSeq
                        + " are missing, so nothing was archived. Run the chain verification on the Audit page and investigate first.");
            }
            return writer.finish();
        }
    }

    /**
     * One transaction as the owner: the anchor is still the one the file continues, the last row is still the one
     * in the file, then the archive row and the deletion (allowed by the trigger only with the setting on and only
     * up to the newest archive's last_seq), which must remove exactly the rows in the file.
     */
    private void removeArchived(Connection c, Anchor anchor, ArchiveFile.Summary file, Instant archivedAt) throws SQLException {
        if (anchor(c).seq() != anchor.seq()) {
            throw failure("Another archival finished meanwhile; nothing was removed. Try again.", null);
        }
        try (PreparedStatement q = c.prepareStatement("select hash from audit_events where seq = ?")) {
            q.setLong(1, file.lastSeq());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next() || !HexFormat.of().formatHex(rs.getBytes(1)).equals(file.lastHash())) {
                    throw failure("Audit row " + file.lastSeq() + " changed while it was being archived; nothing was removed.", null);
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("insert into audit_archives (id, last_seq, last_hash, row_count, file_name,"
                + " file_sha256, archived_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, new UUID(random.nextLong(), random.nextLong()));
            insert.setLong(2, file.lastSeq());
            insert.setBytes(3, HexFormat.of().parseHex(file.lastHash()));
            insert.setLong(4, file.rows());
            insert.setString(5, file.file().getFileName().toString());
            insert.setBytes(6, HexFormat.of().parseHex(file.sha256()));
            insert.setObject(7, archivedAt.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("set local gatehouse.audit_archival = 'on'");
        }
        int deleted;
        try (PreparedStatement delete = c.prepareStatement("delete from audit_events where seq <= ?")) {
            delete.setLong(1, file.lastSeq());
            deleted = delete.executeUpdate();
        }
        if (deleted != file.rows()) {
            throw failure("Removing the archived audit rows would have removed " + deleted + " rows instead of " + file.rows()
                    + "; nothing was removed.", null);
        }
        c.commit();
    }

    private void recordFailure(AuditEvent.Builder event, Path file, Exception e) {
        try {
            audit.record(event.failed().detail("error", e.getClass().getSimpleName()));
        } catch (RuntimeException ignored) {
            LOG.error("Could not record the failed archival of {} either", file.getFileName());
        }
    }

    private static void discard(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".sha256"));
        } catch (IOException e) {
            LOG.warn("Could not delete the unused archive file {}: {}", file, e.getMessage());
        }
    }

    private static GatehouseException failure(String message, @Nullable Exception cause) {
        GatehouseException e = new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, "audit-archival-failed", message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static AuditRecord read(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getObject("actor_id", UUID.class), rs.getString("actor_email"), rs.getString("action"), rs.getString("outcome"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("connector"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("request_id"), rs.getString("details"), rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }
}
