package io.gatehouse.connector.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.connector.sdk.Connector;
import io.gatehouse.connector.sdk.ConnectorManifest;
import io.gatehouse.connector.sdk.ConnectorServer;
import io.gatehouse.connector.sdk.ToolFailure;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the SQL connector promises, checked against a real database over MCP: each subclass starts one
 * database engine with the same small shop schema (customers, orders, a view).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlConnectorContract {

    static final String TOKEN = "sql-test-token-5c1d7e9a3b8f";
    static final String USER = "gatehouse";
    static final String PASSWORD = "gatehouse-db-pw-4711";
    static final int ROW_LIMIT = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorServer server;
    private McpSyncClient client;

    /** Starts the engine, loads shop.sql and creates {@link #USER}, who may change rows but not the schema. */
    abstract void startDatabase() throws Exception;

    abstract void stopDatabase() throws Exception;

    abstract String connectorUrl();

    /** The schema (PostgreSQL) or database (MariaDB) that holds the shop tables. */
    abstract String schema();

    /** A connection with full rights, to set up and to look behind the connector's back. */
    abstract Connection admin() throws SQLException;

    /** Folder of this engine's golden files. */
    abstract String dialect();

    /** A query that runs for 30 seconds. */
    abstract String slowQuery();

    @BeforeAll
    void startConnector() throws Exception {
        startDatabase();
        server = Connector.start(ConnectorManifest.load(), SqlConnector::setup, Map.of(
                "GATEHOUSE_CONNECTOR_TOKEN", TOKEN,
                "GATEHOUSE_CONNECTOR_HOST", "127.0.0.1",
                "GATEHOUSE_CONNECTOR_PORT", "0",
                "SQL_URL", connectorUrl(),
                "SQL_USER", USER,
                "SQL_PASSWORD", PASSWORD,
                "SQL_ROW_LIMIT", String.valueOf(ROW_LIMIT),
                "SQL_STATEMENT_TIMEOUT_SECONDS", "1"));
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                        .endpoint(ConnectorServer.MCP_PATH)
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
                        .build())
                .clientInfo(new McpSchema.Implementation("sql-test", "1.0.0"))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        client.initialize();
    }

    @AfterAll
    void stopConnector() throws Exception {
        try {
            if (client != null) {
                client.closeGracefully();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            stopDatabase();
        }
    }

    static void loadShop(Connection connection) throws Exception {
        String script;
        try (InputStream in = SqlConnectorContract.class.getClassLoader().getResourceAsStream("shop.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }

    @Test
    void toolsListMatchesTheGoldenFileExactly() throws Exception {
        List<McpSchema.Tool> tools = client.listTools().tools();

        assertThat((Object) JSON.valueToTree(Map.of("tools", tools))).isEqualTo(golden("tools-list.json"));
    }

    @Test
    void onlyExecuteStatementIsAnActionAndItIsDestructive() {
        Map<String, List<Boolean>> hints = client.listTools().tools().stream().collect(Collectors.toMap(
                McpSchema.Tool::name,
                tool -> List.of(tool.annotations().readOnlyHint(), tool.annotations().destructiveHint()),
                (a, b) -> a, LinkedHashMap::new));

        assertThat(hints).containsExactly(
                Map.entry("list_schemas", List.of(true, false)),
                Map.entry("list_tables", List.of(true, false)),
                Map.entry("describe_table", List.of(true, false)),
                Map.entry("run_query", List.of(true, false)),
                Map.entry("execute_statement", List.of(false, true)));
    }

    @Test
    void listSchemasShowsTheUsersSchemasWithoutSystemOnes() throws Exception {
        assertGolden(call("list_schemas", Map.of()), dialect() + "/list_schemas.json");
    }

    @Test
    void listTablesShowsTablesAndViews() throws Exception {
        assertGolden(call("list_tables", Map.of("schema", schema())), dialect() + "/list_tables.json");
    }

    @Test
    void listTablesOfAnUnknownSchemaSaysWhatToDo() {
        CallToolResult result = call("list_tables", Map.of("schema", "nowhere"));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo("Schema 'nowhere' was not found, or this connection may not read it. "
                + "Use list_schemas to see the schemas.");
    }

    @Test
    void describeTableShowsColumnsPrimaryKeyAndForeignKeys() throws Exception {
        assertGolden(call("describe_table", Map.of("schema", schema(), "table", "orders")),
                dialect() + "/describe_table_orders.json");
    }

    @Test
    void describeUnknownTableSaysWhatToDo() {
        CallToolResult result = call("describe_table", Map.of("schema", schema(), "table", "invoices"));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo("Table " + schema() + ".invoices was not found, or this connection may "
                + "not read it. Use list_tables with schema '" + schema() + "' to see its tables.");
    }

    @Test
    void runQueryReturnsACompactTable() throws Exception {
        assertGolden(call("run_query", Map.of("sql", """
                select c.name, count(*) as orders, sum(o.total) as paid
                from customers c join orders o on o.customer_id = c.id
                where o.status = 'paid'
                group by c.name
                order by paid desc""")), "run_query_paid_by_customer.json");
    }

    @Test
    void runQueryRendersDatesTimestampsAndNulls() throws Exception {
        assertGolden(call("run_query", Map.of("sql",
                "select id, name, country, created_at from customers order by id")), "run_query_customers.json");
        assertGolden(call("run_query", Map.of("sql",
                "select id, ordered_on, total from orders where id in (101, 104) order by id")), "run_query_orders.json");
    }

    @Test
    void decimalsKeepTheirScale() {
        CallToolResult result = call("run_query", Map.of("sql",
                "select total, total * 2 as doubled from orders where id in (101, 104, 108) order by id"));

        assertThat(text(result)).isEqualTo("{\"columns\":[\"total\",\"doubled\"],\"rows\":[[1250.00,2500.00],"
                + "[45.90,91.80],[640.00,1280.00]],\"rowCount\":3,\"truncated\":false}");
    }

    Stream<Arguments> writesThroughRunQuery() {
        return Stream.of(
                Arguments.of("DELETE FROM orders", "run_query only reads; this is a DELETE statement, so it was not run."),
                Arguments.of("UPDATE orders SET total = 0", "this is an UPDATE statement"),
                Arguments.of("INSERT INTO customers (id, name, created_at) VALUES (9, 'Evil', '2024-01-01 00:00:00')",
                        "this is an INSERT statement"),
                Arguments.of("DROP TABLE orders", "DROP statements are not allowed"),
                Arguments.of("TRUNCATE TABLE orders", "TRUNCATE statements are not allowed"),
                Arguments.of("SELECT * FROM orders FOR UPDATE", "Locking clauses (FOR UPDATE) are not allowed"),
                Arguments.of("SELECT * FROM (SELECT id FROM orders FOR UPDATE) locked", "Locking clauses (FOR UPDATE)"),
                Arguments.of("WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone",
                        "run_query only reads, but this query contains a DELETE (in a WITH clause)"),
                Arguments.of("SELECT * INTO orders_copy FROM orders", "SELECT ... INTO writes its result"),
                Arguments.of("SELECT 1; DELETE FROM orders", "Send exactly one SQL statement; this text contains 2."),
                Arguments.of("SELECT '\\'; DELETE FROM orders; --'", "Send exactly one SQL statement"));
    }

    @ParameterizedTest
    @MethodSource("writesThroughRunQuery")
    void runQueryRefusesWritesAndChangesNothing(String sql, String expectedMessage) throws Exception {
        // given
        Snapshot before = snapshot();

        // when
        CallToolResult result = call("run_query", Map.of("sql", sql));

        // then
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains(expectedMessage);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void readOnlyTransactionStopsAWriteEvenIfTheParserWereBypassed() throws Exception {
        // given the connector's database access, used without the parser in front of it
        Snapshot before = snapshot();
        Dialect dialect = Dialect.of(connectorUrl()).orElseThrow();
        SqlConfig config = new SqlConfig(dialect.normalize(connectorUrl()), dialect, Optional.of(USER),
                Optional.of(PASSWORD), ROW_LIMIT, Duration.ofSeconds(5));
        try (Database database = Database.open(config)) {
            // when
            SQLException refused = catchThrowableOfType(SQLException.class, () -> database.read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.executeUpdate("delete from orders");
                }
            }));

            // then
            assertThat((Object) refused).isNotNull();
            ToolFailure failure = SqlFailures.describe(refused, config.statementTimeout());
            assertThat(failure.getMessage()).startsWith("The database refused to change data inside a read-only query");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void rowCapTruncatesAndSaysSo() throws Exception {
        JsonNode capped = json(call("run_query", Map.of("sql", "select id from orders order by id")));
        JsonNode asked = json(call("run_query", Map.of("sql", "select id from orders order by id", "max_rows", 3)));
        JsonNode complete = json(call("run_query", Map.of("sql", "select id from orders where id < 103 order by id")));

        assertThat(capped.get("rowCount").asInt()).isEqualTo(ROW_LIMIT);
        assertThat(capped.get("rows")).hasSize(ROW_LIMIT);
        assertThat(capped.get("truncated").asBoolean()).isTrue();
        assertThat((Object) asked).isEqualTo(JSON.readTree("""
                {"columns": ["id"], "rows": [[101], [102], [103]], "rowCount": 3, "truncated": true}"""));
        assertThat((Object) complete).isEqualTo(JSON.readTree("""
                {"columns": ["id"], "rows": [[101], [102]], "rowCount": 2, "truncated": false}"""));
    }

    @Test
    void maxRowsAboveTheConfiguredLimitIsRefused() {
        CallToolResult result = call("run_query", Map.of("sql", "select id from orders", "max_rows", ROW_LIMIT + 1));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("max_rows");
    }

    @Test
    void slowQueryIsCancelledByTheStatementTimeout() throws Exception {
        // when
        CallToolResult result = call("run_query", Map.of("sql", slowQuery()));

        // then
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo("The statement was cancelled after the 1 s statement timeout and changed "
                + "nothing. Make it cheaper (filter with WHERE, aggregate, add LIMIT) or ask an admin to raise "
                + "SQL_STATEMENT_TIMEOUT_SECONDS.");
        assertThat(json(call("run_query", Map.of("sql", "select count(*) as n from orders"))).at("/rows/0/0").asInt())
                .isEqualTo(12);
    }

    @Test
    void databaseErrorsComeBackAsErrorResults() {
        CallToolResult result = call("run_query", Map.of("sql", "select * from invoices"));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("The database rejected the statement: ");
    }

    @Test
    void executeStatementChangesRowsAndReportsHowMany() throws Exception {
        // given
        Snapshot before = snapshot();

        // when / then
        assertThat((Object) json(call("execute_statement", Map.of("sql", "insert into customers (id, name, country, created_at) "
                + "values (5, 'Wayne Enterprises', 'US', '2024-08-01 10:00:00')"))))
                .isEqualTo(JSON.readTree("{\"statement\": \"INSERT\", \"affectedRows\": 1}"));
        assertThat(count("select count(*) from customers")).isEqualTo(before.customers() + 1);

        assertThat((Object) json(call("execute_statement", Map.of("sql", "update customers set country = 'CA' where id >= 4"))))
                .isEqualTo(JSON.readTree("{\"statement\": \"UPDATE\", \"affectedRows\": 2}"));
        assertThat(count("select count(*) from customers where country = 'CA'")).isEqualTo(2);

        assertThat((Object) json(call("execute_statement", Map.of("sql", "delete from customers where id = 5"))))
                .isEqualTo(JSON.readTree("{\"statement\": \"DELETE\", \"affectedRows\": 1}"));
        call("execute_statement", Map.of("sql", "update customers set country = null where id = 4"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void executeStatementRefusesQueriesSchemaChangesAndBatches() throws Exception {
        Snapshot before = snapshot();

        CallToolResult select = call("execute_statement", Map.of("sql", "select * from orders"));
        CallToolResult drop = call("execute_statement", Map.of("sql", "drop table orders"));
        CallToolResult batch = call("execute_statement", Map.of("sql", "delete from orders where id = 101; drop table orders"));

        assertThat(List.of(select.isError(), drop.isError(), batch.isError())).containsOnly(true);
        assertThat(text(select)).isEqualTo("execute_statement is for INSERT, UPDATE and DELETE; run queries with run_query.");
        assertThat(text(drop)).startsWith("DROP statements are not allowed");
        assertThat(text(batch)).isEqualTo("Send exactly one SQL statement; this text contains 2.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void failedStatementIsRolledBack() throws Exception {
        Snapshot before = snapshot();

        CallToolResult result = call("execute_statement", Map.of("sql",
                "insert into orders (id, customer_id, total, status, ordered_on) values (200, 99, 1.00, 'paid', '2024-08-01')"));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("The database rejected the statement: ").endsWith("Nothing was changed.");
        assertThat(snapshot()).isEqualTo(before);
    }

    record Snapshot(long customers, long orders, String totals) {
    }

    Snapshot snapshot() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select (select count(*) from customers), "
                        + "(select count(*) from orders), (select sum(total) from orders)")) {
            rows.next();
            return new Snapshot(rows.getLong(1), rows.getLong(2), rows.getBigDecimal(3).toPlainString());
        }
    }

    long count(String sql) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new CallToolRequest(tool, arguments));
    }

    static String text(CallToolResult result) {
        return ((TextContent) result.content().getFirst()).text();
    }

    /** The JSON text of a successful result, checked to equal its structured content. */
    static JsonNode json(CallToolResult result) throws Exception {
        assertThat(result.isError()).as(text(result)).isFalse();
        JsonNode tree = JSON.readTree(text(result));
        assertThat((Object) JSON.valueToTree(result.structuredContent())).isEqualTo(tree);
        return tree;
    }

    static void assertGolden(CallToolResult result, String goldenFile) throws Exception {
        assertThat((Object) json(result)).as(goldenFile).isEqualTo(golden(goldenFile));
    }

    static JsonNode golden(String name) throws Exception {
        try (InputStream in = SqlConnectorContract.class.getClassLoader().getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new AssertionError("missing golden file golden/" + name);
            }
            return JSON.readTree(in);
        }
    }
}
