package io.gatehouse.installer.ops;

import io.gatehouse.installer.compose.Compose;
import io.gatehouse.installer.process.Command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The portal image's ops entry (contract8): a one-off portal container, on the portal's networks and with its
 * environment, running {@code io.gatehouse.ops.OpsMain}. A host directory can be mounted at /backup.
 */
public final class PortalOps {

    private PortalOps() {
    }

    public static Command command(Compose compose, Path backupDir, String... opsArgs) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--no-deps", "-T"));
        if (backupDir != null) {
            args.addAll(List.of("-v", backupDir.toAbsolutePath() + ":/backup"));
        }
        args.addAll(List.of("--entrypoint", "java", "portal", "-cp", "@/app/jib-classpath-file", "io.gatehouse.ops.OpsMain"));
        args.addAll(List.of(opsArgs));
        return compose.command(args).timeout(Duration.ofHours(1));
    }
}
