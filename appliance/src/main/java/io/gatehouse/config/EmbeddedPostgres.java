package io.gatehouse.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server run from the zonky binaries, its cluster kept under the data directory so
 * that data survives restarts. Used only when no GATEHOUSE_DATABASE_URL is given.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    static final String DATABASE = "gatehouse";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * The portal's own embedded server: durable (fsync and synchronous commit on, PostgreSQL's defaults, which zonky
     * turns off), because an acknowledged audit row must survive a crash.
     */
    public static EmbeddedPostgres start(Path clusterDir) {
        return start(clusterDir, true);
    }

    /** {@code durable} false only for throw-away test clusters, where speed matters and a crash loses nothing. */
    public static EmbeddedPostgres start(Path clusterDir, boolean durable) {
        try {
            Files.createDirectories(clusterDir.getParent());
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(clusterDir.getParent().resolve("pg-runtime").toFile())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .start();
            EmbeddedPostgres postgres = new EmbeddedPostgres(server);
            postgres.createDatabaseIfMissing(DATABASE);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + clusterDir
                    + ": " + e.getMessage() + ". Check that the directory is writable and not used by another Gatehouse.", e);
        }
    }

    /** A URL without credentials in it (zonky's own adds {@code ?user=postgres}, which would override any login). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    public void createDatabaseIfMissing(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (var rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (var create = c.createStatement()) {
                        create.execute("create database \"" + database.replace("\"", "") + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
