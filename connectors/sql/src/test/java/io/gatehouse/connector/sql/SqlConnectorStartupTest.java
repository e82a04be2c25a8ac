package io.gatehouse.connector.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.connector.sdk.Connector;
import io.gatehouse.connector.sdk.ConnectorManifest;
import io.gatehouse.connector.sdk.ConnectorServer;
import io.gatehouse.connector.sdk.ConnectorStartupException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration mistakes stop the SQL connector at start, with a message that names the variable to fix. */
class SqlConnectorStartupTest {

    private static Map<String, String> environment(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of(
                "GATEHOUSE_CONNECTOR_TOKEN", "startup-test-token-0123456789",
                "GATEHOUSE_CONNECTOR_HOST", "127.0.0.1",
                "GATEHOUSE_CONNECTOR_PORT", "0",
                "SQL_URL", "jdbc:postgresql://127.0.0.1:1/nowhere"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                env.remove(pairs[i]);
            } else {
                env.put(pairs[i], pairs[i + 1]);
            }
        }
        return env;
    }

    private static ConnectorServer start(Map<String, String> env) {
        return Connector.start(ConnectorManifest.load(), SqlConnector::setup, env);
    }

    @Test
    void startsWithoutReachingTheDatabase() {
        // The pool connects lazily, so a database that is down does not keep the connector from starting.
        try (ConnectorServer server = start(environment())) {
            assertThat(server.connectorId()).isEqualTo("sql");
        }
    }

    @Test
    void urlIsRequired() {
        assertThatThrownBy(() -> start(environment("SQL_URL", null)))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageStartingWith("Configuration is incomplete: SQL_URL is required");
    }

    @Test
    void onlyPostgresqlAndMysqlFamilyUrlsAreAccepted() {
        assertThatThrownBy(() -> start(environment("SQL_URL", "jdbc:oracle:thin:@db:1521/orcl")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("SQL_URL must be a PostgreSQL or MySQL/MariaDB JDBC URL");
    }

    @Test
    void passwordsDoNotBelongInTheUrl() {
        assertThatThrownBy(() -> start(environment("SQL_URL", "jdbc:postgresql://db/sales?user=a&password=hunter2")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("SQL_URL must not contain a password; put it in SQL_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void multiStatementModeIsRefused() {
        assertThatThrownBy(() -> start(environment("SQL_URL", "jdbc:mariadb://db/shop?allowMultiQueries=true")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("SQL_URL must not enable allowMultiQueries");
    }

    @Test
    void limitsMustBeSensible() {
        assertThatThrownBy(() -> start(environment("SQL_ROW_LIMIT", "0")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("SQL_ROW_LIMIT must be from 1 to 10000, not 0");
        assertThatThrownBy(() -> start(environment("SQL_STATEMENT_TIMEOUT_SECONDS", "9999")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("SQL_STATEMENT_TIMEOUT_SECONDS must be from 1 to 3600, not 9999");
    }

    @Test
    void mysqlUrlsAreServedByTheMariaDbDriver() {
        assertThat(Dialect.of("jdbc:mysql://db:3306/shop")).contains(Dialect.MARIADB);
        assertThat(Dialect.MARIADB.normalize("jdbc:mysql://db:3306/shop")).isEqualTo("jdbc:mariadb://db:3306/shop");
        assertThat(Dialect.of("jdbc:postgresql://db/sales")).contains(Dialect.POSTGRESQL);
        assertThat(Dialect.of("jdbc:sqlserver://db")).isEmpty();
    }
}
