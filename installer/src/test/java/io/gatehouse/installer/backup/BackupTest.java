package io.gatehouse.installer.backup;

import io.gatehouse.installer.FakeDocker;
import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.archive.Manifest;
import io.gatehouse.installer.archive.Tar;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BackupTest {

    @TempDir Path tmp;
    TestHost t;

    @BeforeEach
    void installed() throws Exception {
        t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\n");
        FakeDocker.backups(t.runner);
        t.runner.on(" ps -a -q", CommandResult.ok("a\n")).on("docker inspect --format", CommandResult.ok(
                "postgres running healthy False\nmongo running healthy False\ndocker-proxy running healthy False\nportal running healthy False\ncaddy running healthy False\n"));
    }

    private List<String> steps() {
        return t.runner.lines().stream().map(l -> l.contains(" stop portal") ? "stop portal" : l.contains(" start portal") ? "start portal"
                : l.contains(" stop caddy") ? "stop caddy" : l.contains(" start caddy") ? "start caddy"
                : l.contains("--entrypoint tar caddy -C /data -czf -") ? "caddy tar" : l.contains("--entrypoint bash caddy") ? "caddy restore"
                : l.contains("pg_dump") ? "pg_dump" : l.contains("mongo-dump") ? "mongo-dump" : l.contains("pg_restore --list") ? "pg_restore --list"
                : l.contains("RENAME TO") ? "swap" : l.contains("DROP DATABASE IF EXISTS gatehouse_restore") ? "drop gatehouse_restore"
                : l.contains("CREATE DATABASE gatehouse_restore OWNER gatehouse") ? "create gatehouse_restore"
                : l.contains("pg_restore -d gatehouse_restore") ? "pg_restore" : l.contains("mongo-restore") ? "mongo-restore"
                : l.contains("DROP DATABASE") || l.contains("CREATE DATABASE") || l.contains("pg_restore -d") ? "other: " + l : "")
                .filter(s -> !s.isEmpty()).toList();
    }

    private Path backupAndClear() {
        Path out = tmp.resolve("b.tar.gz");
        assertThat(t.run("backup", "--out", out.toString())).as(t.output()).isZero();
        t.runner.calls.clear();
        return out;
    }

    @Test
    void backupStopsThePortalDumpsBothStoresStartsItAgainAndVerifies() throws Exception {
        Path out = tmp.resolve("backups/b.tar.gz");

        assertThat(t.run("backup", "--out", out.toString())).as(t.output()).isZero();

        assertThat(steps()).containsExactly("stop portal", "pg_dump", "mongo-dump", "caddy tar", "start portal", "pg_restore --list");
        assertThat(t.out.toString()).contains("backup written and verified: " + out).contains("GATEHOUSE_MASTER_KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(t.runner.lines()).anyMatch(l -> l.contains("exec -T -u postgres postgres pg_dump -Fc gatehouse"))
                .anyMatch(l -> l.contains("run --rm --no-deps -T -v ") && l.endsWith(
                        ":/backup --entrypoint java portal -cp @/app/jib-classpath-file io.gatehouse.ops.OpsMain mongo-dump /backup/mongo.jsonl.gz"));
    }

    @Test
    void aFailedDumpStillStartsThePortal() {
        t.runner.on("pg_dump -Fc gatehouse", CommandResult.failed(1, "pg_dump: error: connection failed"));

        assertThat(t.run("backup", "--out", tmp.resolve("b.tar.gz").toString())).isEqualTo(1);

        assertThat(steps()).containsExactly("stop portal", "pg_dump", "start portal");
        assertThat(t.err.toString()).contains("pg_dump failed: pg_dump: error: connection failed");
        assertThat(tmp.resolve("b.tar.gz")).doesNotExist();
    }

    @Test
    void aPortalThatWasNotRunningIsNotStartedByTheBackup() {
        t.runner.on("docker inspect --format", CommandResult.ok("postgres running healthy False\nmongo running healthy False\n"
                + "docker-proxy running healthy False\nportal exited none False\ncaddy running healthy False\n"));

        assertThat(t.run("backup", "--out", tmp.resolve("b.tar.gz").toString())).as(t.output()).isZero();

        assertThat(steps()).containsExactly("stop portal", "pg_dump", "mongo-dump", "caddy tar", "pg_restore --list");
        assertThat(t.out.toString()).contains("the portal is exited: it stays so after the backup");
    }

    @Test
    void whenTheDumpAndTheRestartBothFailTheDumpIsTheErrorAndTheRestartASecondLine() {
        t.runner.on("pg_dump -Fc gatehouse", CommandResult.failed(1, "pg_dump: error: connection failed"))
                .on(" start portal", CommandResult.failed(1, "Error response from daemon: no space left"));

        assertThat(t.run("backup", "--out", tmp.resolve("b.tar.gz").toString())).isEqualTo(1);

        assertThat(t.err.toString()).contains("error: pg_dump failed: pg_dump: error: connection failed\n")
                .contains("also: starting portal failed: Error response from daemon: no space left (try ./installer.sh up)");
    }

    @Test
    void restoreBuildsANewDatabaseSwapsItInAndVerifiesTheArchiveOnce() {
        Path out = backupAndClear();

        assertThat(t.run("restore", out.toString(), "--yes")).as(t.output()).isZero();

        assertThat(steps()).containsExactly("pg_restore --list", "stop portal", "drop gatehouse_restore", "create gatehouse_restore",
                "pg_restore", "swap", "mongo-restore", "stop caddy", "caddy restore", "start caddy", "start portal");
        assertThat(t.runner.calls.stream().filter(c -> c.line().contains("--entrypoint bash caddy")).findFirst().orElseThrow().line())
                .endsWith("-c find /data -mindepth 1 -delete && tar -C /data -xzf -");
        String swap = t.runner.lines().stream().filter(l -> l.contains("RENAME TO")).findFirst().orElseThrow();
        assertThat(swap).startsWith("docker compose").contains("exec -T -u postgres postgres psql -v ON_ERROR_STOP=1 -d postgres")
                .contains("-c SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname IN ('gatehouse', 'gatehouse_restore')")
                .contains("-c BEGIN; ALTER DATABASE gatehouse RENAME TO gatehouse_previous_20250601_100000;"
                        + " ALTER DATABASE gatehouse_restore RENAME TO gatehouse; COMMIT;")
                .endsWith("-c DROP DATABASE gatehouse_previous_20250601_100000 WITH (FORCE)");
        assertThat(t.out.toString()).contains("restored " + out);
    }

    @Test
    void aBackupWrittenBeforeCaddysDataWasIncludedStillRestoresAndKeepsTheCertificates() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("old"));
        Path dump = Files.writeString(work.resolve("postgres.dump"), "PGDMP fake custom-format dump");
        Path mongo = work.resolve("mongo.jsonl.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(mongo))) {
            gz.write("{}\n".getBytes());
        }
        java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("postgres.dump", dump);
        files.put("mongo.jsonl.gz", mongo);
        Path old = tmp.resolve("old.tar.gz");
        io.gatehouse.installer.archive.Tar.write(old, true,
                io.gatehouse.installer.archive.Manifest.of("0.1.0", "", "2025-05-01T00:00:00Z", files), files);

        assertThat(t.run("restore", old.toString(), "--yes")).as(t.output()).isZero();

        assertThat(steps()).containsExactly("pg_restore --list", "stop portal", "drop gatehouse_restore", "create gatehouse_restore",
                "pg_restore", "swap", "mongo-restore", "start portal");
        assertThat(t.out.toString()).contains("this backup has no copy of Caddy's data");
    }

    @Test
    void aFailedPgRestoreLeavesTheCurrentDatabaseAndStartsThePortalAgain() {
        Path out = backupAndClear();
        t.runner.on("pg_restore -d gatehouse_restore", CommandResult.failed(1, "pg_restore: error: could not execute query: disk full"));

        assertThat(t.run("restore", out.toString(), "--yes")).isEqualTo(1);

        assertThat(steps()).containsExactly("pg_restore --list", "stop portal", "drop gatehouse_restore", "create gatehouse_restore",
                "pg_restore", "drop gatehouse_restore", "start portal");
        assertThat(t.err.toString()).contains("restore of " + out + " failed: pg_restore failed: pg_restore: error: could not execute query: disk full")
                .contains("The current data was left as it was (database gatehouse and MongoDB untouched) and the portal is started again on it");
    }

    @Test
    void aFailedSwapLeavesTheCurrentDatabase() {
        Path out = backupAndClear();
        t.runner.on("RENAME TO", CommandResult.failed(3, "ERROR:  database \"gatehouse\" is being accessed by other users"))
                .on("-tA -c SELECT datname FROM pg_database", CommandResult.ok("gatehouse_restore\n"));

        assertThat(t.run("restore", out.toString(), "--yes")).isEqualTo(1);

        assertThat(steps()).containsExactly("pg_restore --list", "stop portal", "drop gatehouse_restore", "create gatehouse_restore",
                "pg_restore", "swap", "drop gatehouse_restore", "start portal");
        assertThat(t.err.toString()).contains("swapping in the restored database failed: ERROR:  database \"gatehouse\" is being accessed by other users")
                .contains("The current data was left as it was");
    }

    @Test
    void aSwapWhoseOnlyTheDropOfThePreviousDataFailedGoesOnAndSaysWhatIsLeft() {
        Path out = backupAndClear();
        t.runner.on("RENAME TO", CommandResult.failed(3, "ERROR:  out of shared memory"))
                .on("-tA -c SELECT datname FROM pg_database", CommandResult.ok("gatehouse_previous_20250601_100000\n"));

        assertThat(t.run("restore", out.toString(), "--yes")).as(t.output()).isZero();

        assertThat(steps()).containsExactly("pg_restore --list", "stop portal", "drop gatehouse_restore", "create gatehouse_restore",
                "pg_restore", "swap", "mongo-restore", "stop caddy", "caddy restore", "start caddy", "start portal");
        assertThat(t.out.toString()).contains("it stays as database gatehouse_previous_20250601_100000");
    }

    @Test
    void aFailedStartAfterAFailedRestoreIsASecondLine() {
        Path out = backupAndClear();
        t.runner.on("pg_restore -d gatehouse_restore", CommandResult.failed(1, "pg_restore: error: bad"))
                .on(" start portal", CommandResult.failed(1, "cannot start"));

        assertThat(t.run("restore", out.toString(), "--yes")).isEqualTo(1);

        assertThat(t.err.toString()).contains("error: restore of " + out + " failed: pg_restore failed: pg_restore: error: bad")
                .contains("also: starting portal failed: cannot start");
    }

    @Test
    void aPathThroughDotDotIsRestored() throws Exception {
        Path out = backupAndClear();
        Files.createDirectories(tmp.resolve("backups"));

        assertThat(t.run("restore", tmp.resolve("backups/../b.tar.gz").toString(), "--yes")).as(t.output()).isZero();

        assertThat(steps()).contains("swap", "mongo-restore");
    }

    @Test
    void aChangedFileInABackupIsRefusedByName() throws Exception {
        Path dump = Files.writeString(tmp.resolve("postgres.dump"), "PGDMP original");
        Path mongo = tmp.resolve("mongo.jsonl.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(mongo))) {
            gz.write("{}\n".getBytes());
        }
        Map<String, Path> files = new LinkedHashMap<>(Map.of("postgres.dump", dump, "mongo.jsonl.gz", mongo));
        Manifest manifest = Manifest.of("0.1.0", "", "2025-06-01T10:00:00Z", files);
        Files.writeString(dump, "PGDMP changed!");
        Path archive = tmp.resolve("changed.tar.gz");
        Tar.write(archive, true, manifest, files);

        assertThat(t.run("restore", archive.toString(), "--yes")).isEqualTo(1);

        assertThat(t.err.toString()).contains("postgres.dump does not match its sha256");
        assertThat(steps()).doesNotContain("stop portal", "drop gatehouse_restore");
    }

    @Test
    void aFlippedByteInTheArchiveIsRefused() throws Exception {
        Path out = tmp.resolve("b.tar.gz");
        t.run("backup", "--out", out.toString());
        byte[] bytes = Files.readAllBytes(out);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(out, bytes);
        t.runner.calls.clear();

        assertThat(t.run("restore", out.toString(), "--yes")).isEqualTo(1);

        assertThat(t.err.toString()).contains(out.toString()).containsAnyOf("damaged", "does not match");
        assertThat(steps()).doesNotContain("stop portal", "drop gatehouse_restore");
    }
}
