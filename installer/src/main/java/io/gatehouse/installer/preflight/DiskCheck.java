package io.gatehouse.installer.preflight;

import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** At least 10 GB free where Docker keeps images and volumes, and in the compose directory (backups go next to it). */
final class DiskCheck implements Check {

    static final long MIN_BYTES = 10L * 1000 * 1000 * 1000;

    @Override
    public List<CheckResult> run(PreflightContext context) {
        List<CheckResult> results = new ArrayList<>();
        CommandResult root = context.host().runner().run(Command.of("docker", "info", "--format", "{{.DockerRootDir}}"));
        if (root.succeeded() && !root.stdout().isBlank()) {
            results.add(one(context, Path.of(root.stdout().strip()), "disk (docker)"));
        } else {
            results.add(CheckResult.fail("disk (docker)", "cannot ask Docker where it keeps its data (" + root.lastErrorLine()
                    + "): fix the docker engine check first"));
        }
        results.add(one(context, context.dir(), "disk (" + context.dir() + ")"));
        return results;
    }

    private static CheckResult one(PreflightContext context, Path path, String name) {
        long free = context.host().probes().freeBytes(path);
        String gb = String.format("%.1f GB free in %s", free / 1e9, path);
        if (free < 0) {
            return CheckResult.warn(name, "cannot read the free space of " + path + ": make sure 10 GB are free");
        }
        return free >= MIN_BYTES ? CheckResult.pass(name, gb)
                : CheckResult.fail(name, gb + ": needs 10 GB; free some space or move Docker's data-root to a larger disk");
    }
}
