package io.gatehouse.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The embedded default's sample business database ("demo"): customers, products, orders, invoices and
 * support tickets, created once with {@code demo/demo-data.sql}, plus a login role that may only read it.
 * The SQL connector uses that role, so even a connector bug cannot change the demo data.
 */
public final class DemoDatabase {

    public static final String DATABASE = "demo";
    public static final String READER_ROLE = "gatehouse_demo_reader";

    private DemoDatabase() {
    }

    /** What the SQL connector needs to reach the demo database as the read-only role. */
    public record Access(String jdbcUrl, String user, String password) {
    }

    /**
     * Creates and fills the database if it does not exist yet, and (re)sets the reader's password.
     *
     * @param adminUrl JDBC URL of the server's maintenance database, as a superuser
     * @param demoUrl  JDBC URL of the demo database
     */
    public static Access ensure(String adminUrl, String demoUrl, String superuser, SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try (Connection admin = DriverManager.getConnection(adminUrl, superuser, "")) {
            boolean exists;
            try (var q = admin.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, DATABASE);
                exists = q.executeQuery().next();
            }
            boolean roleExists;
            try (var q = admin.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                q.setString(1, READER_ROLE);
                roleExists = q.executeQuery().next();
            }
            try (var s = admin.createStatement()) {
                // The password is generated here from base64url characters only, so it is safe inside the literal.
                s.execute((roleExists ? "alter" : "create") + " role " + READER_ROLE + " login password '" + password + "'");
                if (!exists) {
                    s.execute("create database " + DATABASE);
                }
            }
            if (!exists) {
                load(demoUrl, superuser);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the demo database: " + e.getMessage(), e);
        }
        return new Access(demoUrl, READER_ROLE, password);
    }

    private static void load(String demoUrl, String superuser) throws SQLException {
        String script;
        try (InputStream in = DemoDatabase.class.getResourceAsStream("/demo/demo-data.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = DriverManager.getConnection(demoUrl, superuser, "")) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                // The PostgreSQL driver runs a multi-statement script in one call (simple query protocol).
                s.execute(script);
                s.execute("revoke all on schema public from public");
                s.execute("grant usage on schema public to " + READER_ROLE);
                s.execute("grant select on all tables in schema public to " + READER_ROLE);
            }
            c.commit();
        }
    }
}
