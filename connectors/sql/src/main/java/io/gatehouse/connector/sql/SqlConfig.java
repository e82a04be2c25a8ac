package io.gatehouse.connector.sql;

import io.gatehouse.connector.sdk.ConnectorConfig;
import io.gatehouse.connector.sdk.ConnectorStartupException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The SQL connector's settings, from the fields of its {@code connector.json}.
 *
 * @param url JDBC URL; {@code jdbc:mysql:} is accepted and served by the MariaDB driver
 * @param rowLimit most rows one query returns
 * @param statementTimeout a statement running longer is cancelled by the database
 */
record SqlConfig(String url, Dialect dialect, Optional<String> user, Optional<String> password, int rowLimit,
        Duration statementTimeout) {

    static final int MAX_ROW_LIMIT = 10_000;
    static final int MAX_TIMEOUT_SECONDS = 3_600;

    static SqlConfig from(ConnectorConfig config) {
        String url = config.requiredString("url");
        Dialect dialect = Dialect.of(url).orElseThrow(() -> new ConnectorStartupException(config.envName("url")
                + " must be a PostgreSQL or MySQL/MariaDB JDBC URL (jdbc:postgresql://..., jdbc:mariadb://... "
                + "or jdbc:mysql://...)"));
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            // The URL is not a secret field: it is shown to admins and may be logged. Passwords go in their own.
            throw new ConnectorStartupException(config.envName("url") + " must not contain a password; put it in "
                    + config.envName("password"));
        }
        if (dialect == Dialect.MARIADB && url.toLowerCase(Locale.ROOT).matches(".*allowmultiqueries=(true|1).*")) {
            throw new ConnectorStartupException(config.envName("url")
                    + " must not enable allowMultiQueries: the connector runs one statement per call");
        }
        long rowLimit = config.integer("row_limit");
        if (rowLimit < 1 || rowLimit > MAX_ROW_LIMIT) {
            throw new ConnectorStartupException(
                    config.envName("row_limit") + " must be from 1 to " + MAX_ROW_LIMIT + ", not " + rowLimit);
        }
        long timeoutSeconds = config.integer("statement_timeout_seconds");
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new ConnectorStartupException(config.envName("statement_timeout_seconds") + " must be from 1 to "
                    + MAX_TIMEOUT_SECONDS + ", not " + timeoutSeconds);
        }
        return new SqlConfig(dialect.normalize(url), dialect, config.string("user"), config.string("password"),
                (int) rowLimit, Duration.ofSeconds(timeoutSeconds));
    }

    @Override
    public String toString() {
        return "SqlConfig[url=" + url + ", dialect=" + dialect + ", user=" + user.orElse("(none)") + ", password="
                + (password.isPresent() ? "(secret)" : "(none)") + ", rowLimit=" + rowLimit + ", statementTimeout="
                + statementTimeout + "]";
    }
}
