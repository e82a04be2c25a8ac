package io.gatehouse.installer.backup;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.compose.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "restore", description = "Replaces ALL current data with a backup's (verified first), then waits for the portal.")
public final class RestoreCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A backup written by ./installer.sh backup.")
    Path file;

    @Option(names = "--yes", description = "Do not ask before replacing the current data.")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long to wait for healthy services (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public RestoreCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = Stack.open(host, dir.resolve(host));
        Backups backups = new Backups(host, stack);
        out.println("verifying " + file);
        out.flush();
        // verified once: the extracted, checked files are what gets restored after the question
        try (Backups.Verified backup = backups.verified(file)) {
            if (!yes && !host.prompter().confirm("Replace ALL current Gatehouse data with " + file + "?")) {
                throw new InstallerException("not confirmed: nothing was changed. Pass --yes to restore without asking");
            }
            backups.restoreData(backup, out);
        }
        if (!stack.waitHealthy(Duration.ofSeconds(timeoutSeconds), out)) {
            throw new InstallerException("the data was restored but Gatehouse is not healthy: see the log lines above");
        }
        out.println("restored " + file);
        return 0;
    }
}
