package io.gatehouse.connector.sql;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.connector.sdk.Tool;
import io.gatehouse.connector.sdk.ToolEffect;
import io.gatehouse.connector.sdk.ToolFailure;
import io.gatehouse.connector.sdk.ToolGroup;
import io.gatehouse.connector.sdk.ToolResult;
import io.gatehouse.connector.sql.StatementClassifier.DataChange;
import io.gatehouse.connector.sql.StatementClassifier.Query;
import io.gatehouse.connector.sql.StatementClassifier.Refused;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** {@code run_query}: one SELECT, checked by the parser and run in a read-only transaction. */
final class QueryTools implements ToolGroup {

    record RunQuery(String sql, @JsonProperty("max_rows") Integer maxRows) {
    }

    /** Rows fetched per round trip; the row cap bounds the total. */
    private static final int FETCH_SIZE = 500;

    private final Database database;
    private final int rowLimit;

    QueryTools(Database database, int rowLimit) {
        this.database = database;
        this.rowLimit = rowLimit;
    }

    @Override
    public List<Tool<?>> tools() {
        return List.of(Tool.named("run_query")
                .description("Runs one read-only SQL query (SELECT, or WITH ... SELECT) and returns a table: "
                        + "columns, rows, rowCount and truncated (true when more rows existed than were returned). "
                        + "Writes, locking clauses and several statements are refused. Runs in a read-only "
                        + "transaction with a statement timeout.")
                .effect(ToolEffect.READ_ONLY)
                .inputSchema("""
                        {"type": "object",
                         "properties": {
                           "sql": {"type": "string", "minLength": 1,
                                   "description": "One SELECT statement in the database's SQL dialect"},
                           "max_rows": {"type": "integer", "minimum": 1, "maximum": %d,
                                        "description": "Most rows to return; at most and by default %d"}
                         },
                         "required": ["sql"],
                         "additionalProperties": false}""".formatted(rowLimit, rowLimit))
                .handler(RunQuery.class, this::runQuery));
    }

    private ToolResult runQuery(RunQuery arguments) throws ToolFailure {
        String sql = arguments.sql();
        switch (StatementClassifier.classify(sql)) {
            case Query query -> {
            }
            case DataChange change -> throw new ToolFailure("run_query only reads; this is "
                    + (change.kind().equals("DELETE") ? "a " : "an ") + change.kind()
                    + " statement, so it was not run. Changes go through execute_statement.");
            case Refused refused -> throw new ToolFailure(refused.reason());
        }
        int maxRows = arguments.maxRows() == null ? rowLimit : Math.min(arguments.maxRows(), rowLimit);
        try {
            return ToolResult.json(database.read(connection -> {
                try (Statement statement = database.statement(connection)) {
                    statement.setMaxRows(maxRows + 1);
                    statement.setFetchSize(Math.min(maxRows + 1, FETCH_SIZE));
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        return ResultTable.read(rows, maxRows);
                    }
                }
            }));
        } catch (SQLException e) {
            throw SqlFailures.describe(e, database.statementTimeout());
        }
    }
}
