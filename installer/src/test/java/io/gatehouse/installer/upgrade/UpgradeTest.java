package io.gatehouse.installer.upgrade;

import io.gatehouse.installer.FakeDocker;
import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.env.EnvFile;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeTest {

    private static final String HEALTHY = "postgres running healthy False\nmongo running healthy False\ndocker-proxy running healthy False\nportal running healthy False\ncaddy running healthy False\n";
    @TempDir Path tmp;
    TestHost t;

    @BeforeEach
    void installedAtAnOlderVersion() throws Exception {
        t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.0.9\nGATEHOUSE_HOSTNAME=gh.example.com\n"
                + "GATEHOUSE_MONGO_IMAGE=gatehouse/mongo-wire:0.0.9\n");
        FakeDocker.backups(t.runner);
        t.runner.on(" ps -a -q", CommandResult.ok("a\n"));
    }

    private String version() {
        return EnvFile.read(t.compose.resolve(".env")).require("GATEHOUSE_VERSION");
    }

    /** The installer's commands reduced to the steps that matter, "up" with the version .env held at that moment. */
    private List<String> steps() {
        return t.runner.lines().stream().map(l -> l.contains(" stop portal") ? "stop portal" : l.contains(" start portal") ? "start portal"
                : l.contains("pg_dump") ? "backup pg_dump" : l.contains("mongo-dump") ? "backup mongo-dump"
                : l.contains("pg_restore -d") ? "restore pg_restore" : l.contains("RENAME TO") ? "restore swap"
                : l.contains("mongo-restore") ? "restore mongo-restore" : l.contains(" up -d") ? "up" : "").filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void aNewVersionThatDoesNotBecomeHealthyIsRolledBackToTheOldVersionAndTheBackup() {
        java.util.List<String> upVersions = new java.util.ArrayList<>();
        t.runner.on(" up -d", c -> {
            upVersions.add(version());
            return CommandResult.ok("");
        }).on("docker inspect --format", c -> CommandResult.ok(version().equals("0.1.0") ? HEALTHY.replace("portal running healthy", "portal running unhealthy") : HEALTHY))
                .on("logs --no-color --tail 40 portal", CommandResult.ok("ERROR Migration V16__x.sql failed\n"));

        int code = t.run("upgrade", "--timeout", "30");

        assertThat(code).isEqualTo(1);
        // the old version is up (its postgres healthy) before the backup is restored into it
        assertThat(steps()).containsExactly("stop portal", "backup pg_dump", "backup mongo-dump", "start portal", "up",
                "up", "stop portal", "restore pg_restore", "restore swap", "restore mongo-restore", "start portal");
        assertThat(upVersions).containsExactly("0.1.0", "0.0.9");
        assertThat(version()).isEqualTo("0.0.9");
        assertThat(EnvFile.read(t.compose.resolve(".env")).require("GATEHOUSE_MONGO_IMAGE")).isEqualTo("gatehouse/mongo-wire:0.0.9");
        assertThat(t.out.toString()).contains("rolled back to 0.0.9 from the backup").contains("gatehouse-backup-20250601T100000Z.tar.gz")
                .contains("Migration V16__x.sql failed");
    }

    @Test
    void aRollbackWhoseOldPostgresDoesNotComeUpRestoresNothingAndSaysWhatToDo() {
        t.runner.on("docker inspect --format", c -> CommandResult.ok(version().equals("0.1.0")
                ? HEALTHY.replace("postgres running healthy", "postgres running unhealthy")
                : HEALTHY.replace("postgres running healthy", "postgres exited none")));

        assertThat(t.run("upgrade", "--timeout", "30")).isEqualTo(1);

        assertThat(steps()).containsExactly("stop portal", "backup pg_dump", "backup mongo-dump", "start portal", "up", "up");
        assertThat(t.err.toString()).contains("the rollback to 0.0.9 failed: postgres of 0.0.9 did not become healthy");
        assertThat(t.out.toString()).contains("The rollback did not finish. .env names version 0.0.9")
                .contains("./installer.sh restore " + t.home.resolve("backups/gatehouse-backup-20250601T100000Z.tar.gz") + " --yes");
    }

    @Test
    void aRollbackWhoseRestoreFailsStartsThePortalAndNamesTheBackup() {
        t.runner.on("docker inspect --format", c -> CommandResult.ok(version().equals("0.1.0")
                ? HEALTHY.replace("portal running healthy", "portal running unhealthy") : HEALTHY))
                .on("pg_restore -d gatehouse_restore", CommandResult.failed(1, "pg_restore: error: disk full"));

        assertThat(t.run("upgrade", "--timeout", "30")).isEqualTo(1);

        assertThat(steps()).containsExactly("stop portal", "backup pg_dump", "backup mongo-dump", "start portal", "up",
                "up", "stop portal", "restore pg_restore", "start portal");
        assertThat(t.err.toString()).contains("the rollback to 0.0.9 failed: restore of").contains("The current data was left as it was");
        assertThat(t.out.toString()).contains("The rollback did not finish").contains("gatehouse-backup-20250601T100000Z.tar.gz");
    }

    @Test
    void aHealthyNewVersionStays() {
        t.runner.on("docker inspect --format", CommandResult.ok(HEALTHY));

        assertThat(t.run("upgrade")).as(t.output()).isZero();

        assertThat(steps()).containsExactly("stop portal", "backup pg_dump", "backup mongo-dump", "start portal", "up");
        assertThat(version()).isEqualTo("0.1.0");
        assertThat(EnvFile.read(t.compose.resolve(".env")).require("GATEHOUSE_MONGO_IMAGE")).isEqualTo("gatehouse/mongo-wire:0.1.0");
    }

    @Test
    void aFailedBackupStopsTheUpgradeBeforeAnythingChanges() {
        t.runner.on("pg_dump -Fc gatehouse", CommandResult.failed(1, "pg_dump: error: disk full"));

        assertThat(t.run("upgrade")).isEqualTo(1);

        assertThat(t.err.toString()).contains("the backup before the upgrade failed, nothing was changed");
        assertThat(steps()).doesNotContain("up");
        assertThat(version()).isEqualTo("0.0.9");
    }
}
