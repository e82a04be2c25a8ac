package io.gatehouse.installer.backup;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.compose.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "backup", description = "Writes a verified backup (PostgreSQL + MongoDB) to a tar.gz; the portal is stopped meanwhile.")
public final class BackupCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Default: DIR/../backups/gatehouse-backup-<UTC time>.tar.gz")
    Path out;

    public BackupCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        Backups backups = new Backups(host, Stack.open(host, dir.resolve(host)));
        backups.backup(out != null ? out : backups.defaultFile(), spec.commandLine().getOut());
        return 0;
    }
}
