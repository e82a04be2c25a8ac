package io.gatehouse.installer;

import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Scripted answers for the backup steps: pg_dump writes a dump, the ops entry writes a gzip into the /backup mount, tar
 * in a Caddy container writes a gzip of Caddy's data to stdout.
 */
public final class FakeDocker {

    private FakeDocker() {
    }

    public static void backups(ScriptedRunner runner) {
        runner.on("pg_dump -Fc gatehouse", c -> {
            write(c.stdoutFile(), "PGDMP fake custom-format dump".getBytes(StandardCharsets.UTF_8));
            return CommandResult.ok("");
        }).on("OpsMain mongo-dump", c -> {
            Path dir = backupMount(c);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("mongo.jsonl.gz")))) {
                out.write("{\"collection\":\"conversations\",\"doc\":{}}\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CommandResult.ok("");
        }).on("--entrypoint tar caddy -C /data -czf -", c -> {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(c.stdoutFile()))) {
                out.write("caddy/pki/authorities/local/root.crt".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CommandResult.ok("");
        }).on("pg_restore --list", c -> {
            try {
                String dump = Files.readString(c.stdinFile());
                return dump.startsWith("PGDMP") ? CommandResult.ok(";\n; Archive created\n") : CommandResult.failed(1, "pg_restore: error: input file does not appear to be a valid archive");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static Path backupMount(Command command) {
        int v = command.argv().indexOf("-v");
        String mount = command.argv().get(v + 1);
        return Path.of(mount.substring(0, mount.lastIndexOf(":/backup")));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
