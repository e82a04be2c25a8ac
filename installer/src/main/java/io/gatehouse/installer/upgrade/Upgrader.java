package io.gatehouse.installer.upgrade;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.backup.Backups;
import io.gatehouse.installer.bundle.Bundles;
import io.gatehouse.installer.compose.Images;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.env.EnvFile;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Backup, new version into .env, up, wait healthy (the portal runs its migrations at start: a failing migration
 * leaves it unhealthy). On failure: old version back, the backup restored, up again; the caller exits 1.
 */
public final class Upgrader {

    private final Host host;
    private final Stack stack;
    private final Backups backups;

    public Upgrader(Host host, Stack stack) {
        this.host = host;
        this.stack = stack;
        this.backups = new Backups(host, stack);
    }

    /** True when upgraded; false when rolled back (the message names the backup). */
    public boolean upgrade(Path bundle, String targetVersion, Duration timeout, PrintWriter out) {
        String oldVersion = stack.version();
        out.println("== backup before upgrading from " + oldVersion);
        out.flush();
        Path backup;
        try {
            backup = backups.backup(backups.defaultFile(), out);
        } catch (InstallerException e) {
            throw new InstallerException("the backup before the upgrade failed, nothing was changed: " + e.getMessage());
        }
        String newVersion = bundle != null ? new Bundles(host).load(bundle, out).version() : targetVersion;
        EnvFile env = stack.env();
        Images.requirePresent(host.runner(), Images.required(newVersion, mongoImage(env, oldVersion, newVersion)), host.sourceCheckout());

        out.println("== upgrading " + oldVersion + " -> " + newVersion);
        out.flush();
        writeVersion(oldVersion, newVersion);
        boolean healthy;
        try {
            stack.upDetached();
            healthy = stack.waitHealthy(timeout, out);
        } catch (InstallerException e) {
            out.println("up failed: " + e.getMessage());
            healthy = false;
        }
        if (healthy) {
            out.println("upgraded to " + newVersion + " (backup of " + oldVersion + ": " + backup + ")");
            out.flush();
            return true;
        }
        String portalLog = stack.logTail("portal", 40);
        out.println("== the upgrade to " + newVersion + " failed; rolling back to " + oldVersion + " with " + backup);
        out.flush();
        writeVersion(newVersion, oldVersion);
        backups.restoreData(backup, out);
        stack.upDetached();
        boolean back = stack.waitHealthy(timeout, out);
        out.println("the portal's last log lines of the failed " + newVersion + ":");
        out.println(portalLog);
        out.println(back ? "rolled back to " + oldVersion + " from the backup " + backup
                : "rolled back to " + oldVersion + " but it is not healthy either: see ./installer.sh status; the backup is " + backup);
        out.flush();
        return false;
    }

    private void writeVersion(String from, String to) {
        EnvFile env = stack.env();
        env.set("GATEHOUSE_VERSION", to);
        env.set("GATEHOUSE_MONGO_IMAGE", mongoImage(env, from, to));
        env.write(stack.dir().resolve(".env"));
    }

    /** The bundled MongoDB server moves with the version; an official mongo image stays as configured. */
    private static String mongoImage(EnvFile env, String from, String to) {
        String current = env.get("GATEHOUSE_MONGO_IMAGE").orElse("gatehouse/mongo-wire:" + from);
        return current.startsWith("gatehouse/mongo-wire:") ? "gatehouse/mongo-wire:" + to : current;
    }
}
