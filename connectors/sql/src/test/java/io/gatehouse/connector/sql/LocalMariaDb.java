package io.gatehouse.connector.sql;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private MariaDB server for one test class: Debian's mariadb-server binaries on a temporary data
 * directory, a free loopback port and its own socket, removed again on close. A missing server is an
 * error, never a skipped test: CI installs mariadb-server.
 */
final class LocalMariaDb implements AutoCloseable {

    private static final List<String> SERVERS = List.of("/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld");
    private static final List<String> INSTALLERS = List.of("/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");

    private final Path directory;
    private final Process process;
    private final int port;

    private LocalMariaDb(Path directory, Process process, int port) {
        this.directory = directory;
        this.process = process;
        this.port = port;
    }

    static LocalMariaDb start() throws Exception {
        String server = firstExisting(SERVERS);
        String installer = firstExisting(INSTALLERS);
        Path directory = Files.createTempDirectory("gatehouse-mariadb-");
        Path data = directory.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));

        List<String> install = new ArrayList<>(List.of(installer, "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (root) {
            install.add("--user=root");
        }
        Process installing = new ProcessBuilder(install).redirectErrorStream(true)
                .redirectOutput(directory.resolve("install.log").toFile()).start();
        if (!installing.waitFor(120, TimeUnit.SECONDS) || installing.exitValue() != 0) {
            installing.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed:\n" + read(directory.resolve("install.log")));
        }

        int port = freePort();
        List<String> command = new ArrayList<>(List.of(server, "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--socket=" + directory.resolve("mysqld.sock"), "--bind-address=127.0.0.1",
                "--pid-file=" + directory.resolve("mysqld.pid"), "--log-error=" + directory.resolve("error.log"),
                "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--performance-schema=OFF"));
        if (root) {
            command.add("--user=root");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.log").toFile()).start();
        LocalMariaDb mariaDb = new LocalMariaDb(directory, process, port);
        mariaDb.awaitConnections(Duration.ofSeconds(60));
        return mariaDb;
    }

    private static String firstExisting(List<String> candidates) {
        return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new IllegalStateException("No MariaDB server binary (" + String.join(", ", candidates)
                        + "). Install it: apt-get install -y mariadb-server"));
    }

    private void awaitConnections(Duration timeout) throws Exception {
        try {
            Awaitility.await("mariadbd accepting connections").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("mariadbd exited with " + process.exitValue() + ":\n"
                                    + read(directory.resolve("error.log")));
                        }
                        try (Connection ignored = root()) {
                            return true;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException("mariadbd did not accept connections within " + timeout, e);
        }
    }

    Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root");
    }

    /** Creates a database and a user that may read and change its rows (but not its schema). */
    void createDatabase(String database, String user, String password) throws SQLException {
        try (Connection connection = root(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + database);
            statement.execute("create user '" + user + "'@'127.0.0.1' identified by '" + password + "'");
            statement.execute("grant select, insert, update, delete on " + database + ".* to '" + user + "'@'127.0.0.1'");
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no " + log.getFileName() + ")";
        } catch (IOException e) {
            return "(unreadable " + log + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
