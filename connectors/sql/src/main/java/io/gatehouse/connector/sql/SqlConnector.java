package io.gatehouse.connector.sql;

import io.gatehouse.connector.sdk.Connector;
import io.gatehouse.connector.sdk.ConnectorContext;
import io.gatehouse.connector.sdk.ToolGroup;
import java.util.List;

/**
 * The SQL connector: PostgreSQL and MySQL/MariaDB. Configured by the environment variables its
 * {@code connector.json} declares (SQL_URL, SQL_USER, SQL_PASSWORD, SQL_ROW_LIMIT,
 * SQL_STATEMENT_TIMEOUT_SECONDS) plus the shared GATEHOUSE_CONNECTOR_* settings.
 */
public final class SqlConnector {

    private SqlConnector() {
    }

    public static void main(String[] args) {
        Connector.launch(SqlConnector::setup);
    }

    static List<ToolGroup> setup(ConnectorContext context) {
        SqlConfig config = SqlConfig.from(context.config());
        Database database = context.closeOnStop(Database.open(config));
        return List.of(new SchemaTools(database), new QueryTools(database, config.rowLimit()),
                new StatementTools(database));
    }
}
