package io.gatehouse.connector.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The connection pool and the two ways this connector touches the database: a read-only transaction for
 * everything that reads, a normal one for {@code execute_statement}. Both carry the statement timeout, on
 * the server and in the driver.
 */
final class Database implements AutoCloseable {

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final Duration statementTimeout;

    private Database(HikariDataSource pool, Dialect dialect, Duration statementTimeout) {
        this.pool = pool;
        this.dialect = dialect;
        this.statementTimeout = statementTimeout;
    }

    static Database open(SqlConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sql-connector");
        hikari.setJdbcUrl(config.url());
        config.user().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        // Small and lazy: a connector answers a handful of concurrent tool calls, holds no connection while
        // idle, and starts even while the database is down (calls then fail with a clear message).
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        hikari.setMaxLifetime(Duration.ofMinutes(15).toMillis());
        hikari.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        hikari.setInitializationFailTimeout(-1);
        return new Database(new HikariDataSource(hikari), config.dialect(), config.statementTimeout());
    }

    Dialect dialect() {
        return dialect;
    }

    Duration statementTimeout() {
        return statementTimeout;
    }

    /** Runs {@code work} in a read-only transaction that is always rolled back. */
    <T> T read(Work<T> work) throws SQLException {
        return inTransaction(work, dialect::beginReadOnly, dialect::rollback);
    }

    /** Runs {@code work} in a transaction that is committed if it completes, rolled back otherwise. */
    <T> T write(Work<T> work) throws SQLException {
        return inTransaction(work, dialect::beginWrite, dialect::commit);
    }

    @FunctionalInterface
    private interface Begin {
        void begin(Connection connection, Duration statementTimeout) throws SQLException;
    }

    @FunctionalInterface
    private interface End {
        void end(Connection connection) throws SQLException;
    }

    /** One transaction: begin, run, end on success; on failure always roll back and rethrow the failure. */
    private <T> T inTransaction(Work<T> work, Begin begin, End onSuccess) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            begin.begin(connection, statementTimeout);
            T result;
            try {
                result = work.run(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackAfter(connection, e);
                throw e;
            }
            onSuccess.end(connection);
            return result;
        }
    }

    private void rollbackAfter(Connection connection, Exception failure) {
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            // The connection is likely broken; the pool drops it. The original failure is what matters.
            failure.addSuppressed(e);
        }
    }

    /** A statement with the driver-side timeout set, as a second line behind the server's. */
    Statement statement(Connection connection) throws SQLException {
        Statement statement = connection.createStatement();
        statement.setQueryTimeout((int) statementTimeout.toSeconds());
        return statement;
    }

    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout((int) statementTimeout.toSeconds());
        return statement;
    }

    @Override
    public void close() {
        pool.close();
    }
}
