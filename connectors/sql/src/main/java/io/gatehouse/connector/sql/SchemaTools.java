package io.gatehouse.connector.sql;

import io.gatehouse.connector.sdk.Tool;
import io.gatehouse.connector.sdk.ToolEffect;
import io.gatehouse.connector.sdk.ToolFailure;
import io.gatehouse.connector.sdk.ToolGroup;
import io.gatehouse.connector.sdk.ToolResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Schema browsing: what schemas and tables there are and what a table looks like. */
final class SchemaTools implements ToolGroup {

    record NoArguments() {
    }

    record SchemaName(String schema) {
    }

    record TableName(String schema, String table) {
    }

    record Schemas(List<String> schemas) {
    }

    record Tables(String schema, List<TableEntry> tables) {
    }

    record TableEntry(String name, String type) {
    }

    record TableDescription(String schema, String table, List<Column> columns, List<String> primaryKey,
            List<ForeignKey> foreignKeys) {
    }

    record Column(String name, String type, boolean nullable) {
    }

    record ForeignKey(List<String> columns, Reference references) {
    }

    record Reference(String schema, String table, List<String> columns) {
    }

    private final Database database;

    SchemaTools(Database database) {
        this.database = database;
    }

    @Override
    public List<Tool<?>> tools() {
        return List.of(
                Tool.named("list_schemas")
                        .description("Lists the schemas (PostgreSQL) or databases (MySQL/MariaDB) this connection "
                                + "can read, without the system ones.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object", "properties": {}, "additionalProperties": false}""")
                        .handler(NoArguments.class, arguments -> listSchemas()),
                Tool.named("list_tables")
                        .description("Lists the tables and views of one schema, with their type.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object",
                                 "properties": {
                                   "schema": {"type": "string", "minLength": 1,
                                              "description": "Schema (or MySQL/MariaDB database) name, as list_schemas returns it"}
                                 },
                                 "required": ["schema"],
                                 "additionalProperties": false}""")
                        .handler(SchemaName.class, this::listTables),
                Tool.named("describe_table")
                        .description("Describes a table or view: its columns with type and nullability, its "
                                + "primary key and the foreign keys that reference other tables.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object",
                                 "properties": {
                                   "schema": {"type": "string", "minLength": 1, "description": "Schema the table is in"},
                                   "table": {"type": "string", "minLength": 1, "description": "Table or view name, as list_tables returns it"}
                                 },
                                 "required": ["schema", "table"],
                                 "additionalProperties": false}""")
                        .handler(TableName.class, this::describeTable));
    }

    private ToolResult listSchemas() throws ToolFailure {
        return ToolResult.json(new Schemas(readOrFail(this::schemas)));
    }

    private List<String> schemas(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement statement = database.prepare(connection, database.dialect().listSchemasSql());
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
        }
        return schemas;
    }

    private ToolResult listTables(SchemaName arguments) throws ToolFailure {
        String schema = arguments.schema();
        List<TableEntry> tables = readOrFail(connection -> {
            List<TableEntry> found = new ArrayList<>();
            try (PreparedStatement statement = database.prepare(connection, database.dialect().listTablesSql())) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(new TableEntry(rows.getString(1), tableType(rows.getString(2))));
                    }
                }
            }
            if (found.isEmpty() && !schemas(connection).contains(schema)) {
                return null;
            }
            return found;
        });
        if (tables == null) {
            throw new ToolFailure("Schema '" + schema + "' was not found, or this connection may not read it. "
                    + "Use list_schemas to see the schemas.");
        }
        return ToolResult.json(new Tables(schema, tables));
    }

    private static String tableType(String informationSchemaType) {
        return switch (informationSchemaType) {
            case "BASE TABLE" -> "table";
            case "FOREIGN" -> "foreign table";
            default -> informationSchemaType.toLowerCase(Locale.ROOT);
        };
    }

    private ToolResult describeTable(TableName arguments) throws ToolFailure {
        String schema = arguments.schema();
        String table = arguments.table();
        TableDescription description = readOrFail(connection -> {
            List<Column> columns = new ArrayList<>();
            try (PreparedStatement statement = database.prepare(connection, database.dialect().columnsSql())) {
                statement.setString(1, schema);
                statement.setString(2, table);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        columns.add(new Column(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                    }
                }
            }
            if (columns.isEmpty()) {
                return null;
            }
            return new TableDescription(schema, table, columns, primaryKey(connection, schema, table),
                    foreignKeys(connection, schema, table));
        });
        if (description == null) {
            throw new ToolFailure("Table " + schema + "." + table + " was not found, or this connection may not "
                    + "read it. Use list_tables with schema '" + schema + "' to see its tables.");
        }
        return ToolResult.json(description);
    }

    private List<String> primaryKey(Connection connection, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = database.prepare(connection, database.dialect().primaryKeySql())) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }

    private List<ForeignKey> foreignKeys(Connection connection, String schema, String table) throws SQLException {
        record Pair(String column, String referenced) {
        }
        Map<String, List<Pair>> columnsByKey = new LinkedHashMap<>();
        Map<String, Reference> targetByKey = new LinkedHashMap<>();
        try (ResultSet keys = database.dialect().importedKeys(connection.getMetaData(), schema, table)) {
            while (keys.next()) {
                String name = keys.getString("FK_NAME");
                targetByKey.putIfAbsent(name, new Reference(database.dialect().referencedSchema(keys),
                        keys.getString("PKTABLE_NAME"), List.of()));
                int position = keys.getInt("KEY_SEQ");
                List<Pair> pairs = columnsByKey.computeIfAbsent(name, key -> new ArrayList<>());
                while (pairs.size() < position) {
                    pairs.add(null);
                }
                pairs.set(position - 1, new Pair(keys.getString("FKCOLUMN_NAME"), keys.getString("PKCOLUMN_NAME")));
            }
        }
        List<ForeignKey> foreignKeys = new ArrayList<>();
        columnsByKey.forEach((name, pairs) -> {
            Reference target = targetByKey.get(name);
            foreignKeys.add(new ForeignKey(pairs.stream().map(Pair::column).toList(),
                    new Reference(target.schema(), target.table(), pairs.stream().map(Pair::referenced).toList())));
        });
        return foreignKeys;
    }

    private <T> T readOrFail(Database.Work<T> work) throws ToolFailure {
        try {
            return database.read(work);
        } catch (SQLException e) {
            throw SqlFailures.describe(e, database.statementTimeout());
        }
    }
}
