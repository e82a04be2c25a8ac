package io.gatehouse.testing;

import io.gatehouse.config.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** One real PostgreSQL per test JVM; each portal under test gets a fresh database in it. */
public final class SharedPostgres {

    private static EmbeddedPostgres server;

    private SharedPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("gatehouse-test-pg");
                server = EmbeddedPostgres.start(dir.resolve("cluster"), false); // throw-away: no fsync
                EmbeddedPostgres started = server;
                // A cluster is ~120 MB: stop it and remove it when the test JVM ends.
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                    try {
                        started.close();
                    } finally {
                        deleteRecursively(dir);
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    public static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at shutdown
        }
    }

    /** A new empty database; returns its JDBC URL. */
    public static String newDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        server().createDatabaseIfMissing(name);
        return server().jdbcUrl(name);
    }
}
