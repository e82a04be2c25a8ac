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
import java.util.List;

/**
 * Backup, new version into .env, up, wait healthy (the portal runs its migrations at start: a failing migration
 * leaves it unhealthy). On failure: old version back into .env and up (postgres healthy first), the backup restored into
 * it, then all healthy; the caller exits 1.
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
        // The old version's containers first: the restore runs inside them, and if the new version's postgres is what
        // failed, restoring inside it could not work and would leave the stack down.
        boolean back = false;
        String failed = null;
        try {
            writeVersion(newVersion, oldVersion);
            stack.upDetached();
            if (!stack.waitHealthy(timeout, out, List.of("postgres"))) {
                throw new InstallerException("postgres of " + oldVersion + " did not become healthy, so the backup could not be restored");
            }
            backups.restoreData(backup, out);
            back = stack.waitHealthy(timeout, out);
        } catch (RuntimeException e) {
            failed = e.getMessage();
            throw new InstallerException("the rollback to " + oldVersion + " failed: " + e.getMessage());
        } finally {
            out.println("the portal's last log lines of the failed " + newVersion + ":");
            out.println(portalLog);
            if (failed != null) {
                String configured = configuredVersion();
                out.println("The rollback did not finish. .env names version " + configured + "; the data may be the failed "
                        + newVersion + "'s or partly restored. Restore by hand from the backup " + backup + ":");
                out.println("  set GATEHOUSE_VERSION=" + oldVersion + " (and a gatehouse/mongo-wire GATEHOUSE_MONGO_IMAGE to :" + oldVersion
                        + ") in " + stack.dir().resolve(".env") + ", ./installer.sh up, ./installer.sh restore " + backup + " --yes, ./installer.sh status");
            } else {
                out.println(back ? "rolled back to " + oldVersion + " from the backup " + backup
                        : "rolled back to " + oldVersion + " but it is not healthy either: see ./installer.sh status; the backup is " + backup);
            }
            out.flush();
        }
        return false;
    }

    /** What .env names now, for the message after a failed rollback (which may have failed writing it). */
    private String configuredVersion() {
        try {
            return stack.env().get("GATEHOUSE_VERSION").orElse("none");
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
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
