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
                "postgres running healthy\nmongo running healthy\ndocker-proxy running healthy\nportal running healthy\ncaddy running healthy\n"));
    }

    private List<String> steps() {
        return t.runner.lines().stream().map(l -> l.contains(" stop portal") ? "stop portal" : l.contains(" start portal") ? "start portal"
                : l.contains("pg_dump") ? "pg_dump" : l.contains("mongo-dump") ? "mongo-dump" : l.contains("pg_restore --list") ? "pg_restore --list"
                : l.contains("DROP DATABASE") ? "drop" : l.contains("CREATE DATABASE") ? "create" : l.contains("pg_restore -d") ? "pg_restore"
                : l.contains("mongo-restore") ? "mongo-restore" : "").filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void backupStopsThePortalDumpsBothStoresStartsItAgainAndVerifies() throws Exception {
        Path out = tmp.resolve("backups/b.tar.gz");

        assertThat(t.run("backup", "--out", out.toString())).as(t.output()).isZero();

        assertThat(steps()).containsExactly("stop portal", "pg_dump", "mongo-dump", "start portal", "pg_restore --list");
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
    void restoreReplacesBothStoresAndWaitsForTheStack() {
        Path out = tmp.resolve("b.tar.gz");
        t.run("backup", "--out", out.toString());
        t.runner.calls.clear();

        assertThat(t.run("restore", out.toString(), "--yes")).as(t.output()).isZero();

        assertThat(steps()).containsExactly("pg_restore --list", "pg_restore --list", "stop portal", "drop", "create", "pg_restore",
                "mongo-restore", "start portal");
        assertThat(t.out.toString()).contains("restored " + out);
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
        assertThat(steps()).doesNotContain("stop portal", "drop");
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
        assertThat(steps()).doesNotContain("stop portal", "drop");
    }
}
