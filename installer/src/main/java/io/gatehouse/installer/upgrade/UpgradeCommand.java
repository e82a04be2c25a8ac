package io.gatehouse.installer.upgrade;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.Version;
import io.gatehouse.installer.compose.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "upgrade", description = "Backup, then run the new version; rolls back to the old version and the backup if it does not become healthy.")
public final class UpgradeCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--bundle", paramLabel = "FILE.tar", description = "Load the new version's images from this bundle (default: the images of this installer's version must exist).")
    Path bundle;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long to wait for healthy services (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public UpgradeCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        Stack stack = Stack.open(host, dir.resolve(host));
        boolean upgraded = new Upgrader(host, stack).upgrade(bundle, Version.imageTag(), Duration.ofSeconds(timeoutSeconds), spec.commandLine().getOut());
        return upgraded ? 0 : 1;
    }
}
