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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Consistent backups: the portal is stopped (nothing writes), PostgreSQL is dumped with pg_dump -Fc and MongoDB through
 * the portal image's ops entry, the portal is started again (also when the backup failed). Every archive is
 * verified after writing and before a restore: sha256 of each file, pg_restore --list of the dump, the whole mongo
 * file gunzipped.
 */
public final class Backups {

    static final String POSTGRES = "postgres.dump";
    static final String MONGO = "mongo.jsonl.gz";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration DUMP_TIMEOUT = Duration.ofHours(2);

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
            out.println("stopping the portal so nothing writes during the backup");
            out.flush();
            stack.stop("portal");
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
                Map<String, Path> files = new LinkedHashMap<>();
                files.put(POSTGRES, dump);
                files.put(MONGO, mongoDir.resolve(MONGO));
                if (!Files.isRegularFile(files.get(MONGO))) {
                    throw new InstallerException("mongo-dump reported success but wrote no " + MONGO + ": see ./installer.sh logs portal");
                }
                Manifest manifest = Manifest.of(stack.version(), "", host.clock().instant().toString(), files);
                Files.createDirectories(file.getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Tar.write(file, true, manifest, files);
            } finally {
                out.println("starting the portal again");
                out.flush();
                stack.start("portal");
            }
            verify(file);
            out.println("backup written and verified: " + file + " (" + humanSize(size(file)) + ")");
            out.println("It does not contain .env: keep " + stack.dir().resolve(".env") + " (its GATEHOUSE_MASTER_KEY) safe separately;"
                    + " without it the stored API keys cannot be decrypted.");
            out.flush();
            return file;
        } catch (IOException e) {
            throw new InstallerException("backup failed: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    /** The archive's checks, without touching the running data. */
    public Manifest verify(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InstallerException(file + " not found");
        }
        Path work = tempDir(file.toAbsolutePath().getParent());
        try {
            return verifyInto(file, work);
        } finally {
            delete(work);
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
        try (InputStream in = new GZIPInputStream(Files.newInputStream(work.resolve(MONGO)))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new InstallerException(file + ": " + MONGO + " is not a complete gzip file (" + e.getMessage() + ")");
        }
        return manifest;
    }

    /**
     * Replaces the current data with the backup's. The portal stays stopped afterwards: the caller starts the stack
     * (restore: start portal; upgrade rollback: up with the old version).
     */
    public void restoreData(Path file, PrintWriter out) {
        Path work = tempDir(file.toAbsolutePath().getParent());
        try {
            out.println("verifying " + file);
            out.flush();
            verifyInto(file, work);
            out.println("stopping the portal");
            out.flush();
            stack.stop("portal");
            out.println("restoring PostgreSQL");
            out.flush();
            psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'gatehouse' AND pid <> pg_backend_pid()");
            psql("DROP DATABASE IF EXISTS gatehouse");
            psql("CREATE DATABASE gatehouse OWNER gatehouse");
            check("pg_restore", stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "pg_restore", "-d", "gatehouse",
                    "--exit-on-error").stdinFrom(work.resolve(POSTGRES)).timeout(DUMP_TIMEOUT)));
            out.println("restoring MongoDB");
            out.flush();
            Path mongoDir = containerWritableDir(work.resolve("mongo-restore"));
            Files.copy(work.resolve(MONGO), mongoDir.resolve(MONGO));
            Files.setPosixFilePermissions(mongoDir.resolve(MONGO), PosixFilePermissions.fromString("rw-r--r--"));
            check("mongo-restore", stack.run(PortalOps.command(stack.compose(), mongoDir, "mongo-restore", "/backup/" + MONGO)));
        } catch (IOException e) {
            throw new InstallerException("restore failed: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    private void psql(String sql) {
        check("psql", stack.run(stack.compose().command("exec", "-T", "-u", "postgres", "postgres", "psql", "-v", "ON_ERROR_STOP=1",
                "-d", "postgres", "-c", sql)));
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
