package io.gatehouse.installer.backup;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.archive.Manifest;
import io.gatehouse.installer.archive.Tar;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.ops.PortalOps;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Consistent backups: the portal is stopped (nothing writes), PostgreSQL is dumped with pg_dump -Fc and MongoDB through
 * the portal image's ops entry, the portal is started again if it was running (also when the backup failed). Every archive is
 * verified after writing and before a restore: sha256 of each file, pg_restore --list of the dump, the whole mongo
 * file gunzipped.
 */
public final class Backups {

    static final String POSTGRES = "postgres.dump";
    static final String MONGO = "mongo.jsonl.gz";
    /**
     * Caddy's data volume: its certificates and, with {@code tls internal}, the local CA that browsers were told to
     * trust. Restoring it means a restored (or moved) installation keeps the same root; optional in an archive, so
     * backups written before it was added still restore.
     */
    static final String CADDY = "caddy-data.tar.gz";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration DUMP_TIMEOUT = Duration.ofHours(2);
    private static final String LIVE_DB = "gatehouse";
    private static final String RESTORE_DB = "gatehouse_restore";
    /** Lower case and digits only: the database name is an unquoted identifier. */
    private static final DateTimeFormatter DB_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final Host host;
    private final Stack stack;

    public Backups(Host host, Stack stack) {
        this.host = host;
        this.stack = stack;
    }

    public Path defaultFile() {
        return stack.dir().getParent().resolve("backups").resolve("gatehouse-backup-" + STAMP.format(host.clock().instant()) + ".tar.gz");
    }

    /** Writes and verifies a backup; returns its path. */
    public Path backup(Path target, PrintWriter out) {
        Path file = target.toAbsolutePath().normalize();
        if (Files.exists(file)) {
            throw new InstallerException(file + " exists already: choose another --out");
        }
        Path work = tempDir(file.getParent());
        try {
            // A portal that was stopped on purpose (or is missing) stays so: the backup must not start it.
            String status = stack.states().get("portal").status();
            boolean portalWasRunning = status.equals("running") || status.equals("restarting");
            out.println(portalWasRunning ? "stopping the portal so nothing writes during the backup"
                    : "the portal is " + status + ": it stays so after the backup");
            out.flush();
            RuntimeException failure = null;
            try {
                stack.stop("portal");
                dumpAndWrite(file, work, out);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                if (portalWasRunning) {
                    startPortalAgain(failure, out);
                }
            }
            verify(file);
            out.println("backup written and verified: " + file + " (" + humanSize(size(file)) + ")");
            out.println("It does not contain .env: keep " + stack.dir().resolve(".env") + " (its GATEHOUSE_MASTER_KEY) safe separately;"
                    + " without it the stored API keys cannot be decrypted.");
            out.flush();
            return file;
        } finally {
            delete(work);
        }
    }

    private void dumpAndWrite(Path file, Path work, PrintWriter out) {
        try {
            Path dump = work.resolve(POSTGRES);
            out.println("dumping PostgreSQL (pg_dump -Fc gatehouse)");
            out.flush();
            check("pg_dump", stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "pg_dump", "-Fc", "gatehouse")
                    .stdoutTo(dump).timeout(DUMP_TIMEOUT)));
            Path mongoDir = containerWritableDir(work.resolve("mongo"));
            out.println("dumping MongoDB (chat history)");
            out.flush();
            check("mongo-dump", stack.run(PortalOps.command(stack.compose(), mongoDir, "mongo-dump", "/backup/" + MONGO)));
            Path caddy = work.resolve(CADDY);
            out.println("copying Caddy's certificates and CA");
            out.flush();
            check("copying Caddy's data", stack.run(caddyTar("-czf", "-", ".").stdoutTo(caddy)));
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(POSTGRES, dump);
            files.put(MONGO, mongoDir.resolve(MONGO));
            files.put(CADDY, caddy);
            if (!Files.isRegularFile(files.get(MONGO))) {
                throw new InstallerException("mongo-dump reported success but wrote no " + MONGO + ": see ./installer.sh logs portal");
            }
            Manifest manifest = Manifest.of(stack.version(), "", host.clock().instant().toString(), files);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Tar.write(file, true, manifest, files);
        } catch (IOException e) {
            throw new InstallerException("backup failed: " + e.getMessage());
        }
    }

    /**
     * Starts the portal a backup or restore stopped. When that step failed already ({@code pending}), a failing start
     * is added to it instead of replacing it: the first error is the one to act on.
     */
    private void startPortalAgain(RuntimeException pending, PrintWriter out) {
        out.println("starting the portal again");
        out.flush();
        try {
            stack.start("portal");
        } catch (RuntimeException e) {
            if (pending == null) {
                throw e;
            }
            pending.addSuppressed(e);
        }
    }

    /** An archive that passed every check, extracted into a private working directory that {@link #close()} deletes. */
    public static final class Verified implements AutoCloseable {
        private final Path file;
        private final Path work;
        private final Manifest manifest;

        private Verified(Path file, Path work, Manifest manifest) {
            this.file = file;
            this.work = work;
            this.manifest = manifest;
        }

        public Path file() {
            return file;
        }

        public Manifest manifest() {
            return manifest;
        }

        @Override
        public void close() {
            delete(work);
        }
    }

    /** The archive's checks, without touching the running data. */
    public Manifest verify(Path file) {
        try (Verified verified = verified(file)) {
            return verified.manifest();
        }
    }

    /**
     * Verifies the archive and keeps it extracted, so a restore after a confirmation uses exactly the files that were
     * checked (and does not extract and check a large dump twice).
     */
    public Verified verified(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new InstallerException(absolute + " not found");
        }
        Path work = tempDir(absolute.getParent());
        try {
            return new Verified(absolute, work, verifyInto(absolute, work));
        } catch (RuntimeException e) {
            delete(work);
            throw e;
        }
    }

    private Manifest verifyInto(Path file, Path work) {
        Manifest manifest = Tar.extractVerified(file, true, work);
        for (String required : new String[] {POSTGRES, MONGO}) {
            if (!manifest.files().containsKey(required)) {
                throw new InstallerException(file + ": " + required + " is missing: not a Gatehouse backup");
            }
        }
        CommandResult list = stack.run(stack.compose().command("exec", "-T", "postgres", "pg_restore", "--list")
                .stdinFrom(work.resolve(POSTGRES)).timeout(DUMP_TIMEOUT));
        if (!list.succeeded()) {
            throw new InstallerException(file + ": " + POSTGRES + " is not a readable PostgreSQL dump (" + list.lastErrorLine() + ")");
        }
        for (String gzip : new String[] {MONGO, CADDY}) {
            if (!manifest.files().containsKey(gzip)) {
                continue; // only Caddy's data may be absent (backups written before it was included)
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(work.resolve(gzip)))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new InstallerException(file + ": " + gzip + " is not a complete gzip file (" + e.getMessage() + ")");
            }
        }
        return manifest;
    }

    /** Verifies the archive, then restores it as {@link #restoreData(Verified, PrintWriter)} does. */
    public void restoreData(Path file, PrintWriter out) {
        out.println("verifying " + file);
        out.flush();
        try (Verified verified = verified(file)) {
            restoreData(verified, out);
        }
    }

    /**
     * Replaces the current data with the backup's. The portal is stopped meanwhile and started again afterwards, also
     * when the restore failed; the caller waits for it to become healthy.
     *
     * <p>PostgreSQL is restored into a new database first and only swapped in when pg_restore succeeded, so a dump that
     * does not restore leaves the installation with its current data. MongoDB follows the swap: its restore replaces
     * the collections in place and cannot be undone, so it goes last, after the step most likely to fail.
     */
    public void restoreData(Verified backup, PrintWriter out) {
        RuntimeException failure = null;
        try {
            out.println("stopping the portal");
            out.flush();
            stack.stop("portal");
            restorePostgres(backup, out);
            restoreMongo(backup, out);
            restoreCaddy(backup, out);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            startPortalAgain(failure, out);
        }
    }

    private void restorePostgres(Verified backup, PrintWriter out) {
        out.println("restoring PostgreSQL into the new database " + RESTORE_DB + " (" + LIVE_DB + " stays as it is until that succeeded)");
        out.flush();
        try {
            // a leftover of an interrupted restore would make CREATE fail
            psql("DROP DATABASE IF EXISTS " + RESTORE_DB + " WITH (FORCE)");
            psql("CREATE DATABASE " + RESTORE_DB + " OWNER gatehouse");
            check("pg_restore", stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "pg_restore", "-d", RESTORE_DB,
                    "--exit-on-error").stdinFrom(backup.work.resolve(POSTGRES)).timeout(DUMP_TIMEOUT)));
        } catch (InstallerException e) {
            throw keptAsItWas(backup, e.getMessage());
        }
        String previous = "gatehouse_previous_" + DB_STAMP.format(host.clock().instant());
        out.println("swapping the restored database in for the current one");
        out.flush();
        // One psql call, each -c its own statement: the renames in one transaction (both or neither), the drop after
        // it (DROP DATABASE cannot run inside one). ON_ERROR_STOP ends the call at the first failure.
        CommandResult swap = stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "psql", "-v", "ON_ERROR_STOP=1",
                "-d", "postgres",
                "-c", "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname IN ('" + LIVE_DB + "', '" + RESTORE_DB
                        + "') AND pid <> pg_backend_pid()",
                "-c", "BEGIN; ALTER DATABASE " + LIVE_DB + " RENAME TO " + previous + "; ALTER DATABASE " + RESTORE_DB + " RENAME TO "
                        + LIVE_DB + "; COMMIT;",
                "-c", "DROP DATABASE " + previous + " WITH (FORCE)"));
        if (swap.succeeded()) {
            return;
        }
        // Which step failed decides what to say: the renames are atomic, so the databases that exist now tell.
        CommandResult probe = stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "psql", "-v", "ON_ERROR_STOP=1",
                "-d", "postgres", "-tA", "-c", "SELECT datname FROM pg_database WHERE datname IN ('" + RESTORE_DB + "', '" + previous + "')"));
        if (!probe.succeeded()) {
            throw new InstallerException("restore failed while swapping in the restored database (" + swap.lastErrorLine()
                    + ") and the state cannot be read (" + probe.lastErrorLine() + "): check with ./installer.sh status and"
                    + " psql -l in the postgres container; database " + LIVE_DB + " holds either the current data or the backup's");
        }
        List<String> existing = probe.stdoutLines();
        if (existing.contains(RESTORE_DB)) {
            throw keptAsItWas(backup, "swapping in the restored database failed: " + swap.lastErrorLine());
        }
        out.println("warning: the backup's data is in place, but the previous data could not be dropped (" + swap.lastErrorLine()
                + "); it stays as database " + previous + ": drop it when you no longer need it (DROP DATABASE " + previous + ")");
        out.flush();
    }

    /** Drops the half-restored database and says that the current data was not touched. */
    private InstallerException keptAsItWas(Verified backup, String what) {
        CommandResult drop = stack.run(psqlCommand("DROP DATABASE IF EXISTS " + RESTORE_DB + " WITH (FORCE)"));
        String leftover = drop.succeeded() ? "" : "; the partly restored database " + RESTORE_DB + " could not be dropped ("
                + drop.lastErrorLine() + "), the next restore drops it";
        return new InstallerException("restore of " + backup.file() + " failed: " + what + ". The current data was left as it was"
                + " (database " + LIVE_DB + " and MongoDB untouched) and the portal is started again on it" + leftover);
    }

    private void restoreMongo(Verified backup, PrintWriter out) {
        out.println("restoring MongoDB");
        out.flush();
        try {
            Path mongoDir = containerWritableDir(backup.work.resolve("mongo-restore"));
            Files.copy(backup.work.resolve(MONGO), mongoDir.resolve(MONGO));
            Files.setPosixFilePermissions(mongoDir.resolve(MONGO), PosixFilePermissions.fromString("rw-r--r--"));
            check("mongo-restore", stack.run(PortalOps.command(stack.compose(), mongoDir, "mongo-restore", "/backup/" + MONGO)));
        } catch (IOException | InstallerException e) {
            throw new InstallerException("PostgreSQL was restored from " + backup.file() + ", but restoring MongoDB failed: " + e.getMessage()
                    + ". The chat history may be incomplete: run the restore again");
        }
    }

    /** Caddy's volume replaced by the backup's copy, then Caddy restarted so it serves the restored certificates. */
    private void restoreCaddy(Verified backup, PrintWriter out) {
        if (!backup.manifest.files().containsKey(CADDY)) {
            out.println("this backup has no copy of Caddy's data (written by an older installer): certificates stay as they are");
            out.flush();
            return;
        }
        out.println("restoring Caddy's certificates and CA");
        out.flush();
        try {
            stack.stop("caddy");
            check("restoring Caddy's data", stack.run(stack.compose().command("run", "--rm", "--no-deps", "-T", "--entrypoint", "bash", "caddy",
                    "-c", "find /data -mindepth 1 -delete && tar -C /data -xzf -").stdinFrom(backup.work.resolve(CADDY))));
            stack.start("caddy");
        } catch (InstallerException e) {
            throw new InstallerException("the databases were restored from " + backup.file() + ", but Caddy's certificates were not: "
                    + e.getMessage() + ". Start Caddy with ./installer.sh up; it issues new certificates (with tls internal: a new CA"
                    + " that browsers must trust again)");
        }
    }

    /** tar inside a one-off Caddy container (Caddy's image has tar; the volume is mounted at /data). */
    private Command caddyTar(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm", "--no-deps", "-T", "--entrypoint", "tar", "caddy", "-C", "/data"));
        argv.addAll(List.of(args));
        return stack.compose().command(argv).timeout(DUMP_TIMEOUT);
    }

    private void psql(String sql) {
        check("psql", stack.run(psqlCommand(sql)));
    }

    private Command psqlCommand(String sql) {
        return stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "psql", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql);
    }

    private static void check(String step, CommandResult result) {
        if (!result.succeeded()) {
            throw new InstallerException(step + " failed: " + result.lastErrorLine());
        }
    }

    /** A working directory next to the target (same disk), readable only by us. */
    private static Path tempDir(Path near) {
        try {
            Files.createDirectories(near);
            return Files.createTempDirectory(near, ".gatehouse-work-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new InstallerException("cannot create a working directory in " + near + ": " + e.getMessage());
        }
    }

    /**
     * The directory mounted at /backup in the ops container, which runs as uid 10001: made theirs when we are root,
     * else opened to all (it sits inside our 0700 working directory, so nobody else on the host reaches it).
     */
    private Path containerWritableDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (host.root()) {
            Files.setAttribute(dir, "unix:uid", 10001);
            Files.setAttribute(dir, "unix:gid", 10001);
        }
        return dir;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String humanSize(long bytes) {
        return bytes >= 1_000_000_000 ? String.format("%.1f GB", bytes / 1e9)
                : bytes >= 1_000_000 ? String.format("%.1f MB", bytes / 1e6) : String.format("%.1f kB", bytes / 1e3);
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover working directory is harmless
        }
    }
}
