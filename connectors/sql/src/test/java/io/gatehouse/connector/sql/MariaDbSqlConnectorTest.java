package io.gatehouse.connector.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The SQL connector against a real MariaDB server started for this class. */
class MariaDbSqlConnectorTest extends SqlConnectorContract {

    private LocalMariaDb mariaDb;

    @Override
    void startDatabase() throws Exception {
        mariaDb = LocalMariaDb.start();
        mariaDb.createDatabase("shop", USER, PASSWORD);
        try (Connection connection = admin()) {
            loadShop(connection);
        }
    }

    @Override
    void stopDatabase() throws Exception {
        if (mariaDb != null) {
            mariaDb.close();
        }
    }

    @Override
    String connectorUrl() {
        return mariaDb.jdbcUrl("shop");
    }

    @Override
    String schema() {
        return "shop";
    }

    @Override
    Connection admin() throws SQLException {
        return DriverManager.getConnection(mariaDb.jdbcUrl("shop") + "?user=root");
    }

    @Override
    String dialect() {
        return "mariadb";
    }

    @Override
    String slowQuery() {
        return "select sleep(30)";
    }
}
