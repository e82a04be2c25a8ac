package io.gatehouse.connector.sql;

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

/**
 * {@code execute_statement}: the one action tool, for a single INSERT, UPDATE or DELETE. Marked destructive,
 * so the portal offers it only where a role grants it and asks a person before each call.
 */
final class StatementTools implements ToolGroup {

    record ExecuteStatement(String sql) {
    }

    record Outcome(String statement, long affectedRows) {
    }

    private final Database database;

    StatementTools(Database database) {
        this.database = database;
    }

    @Override
    public List<Tool<?>> tools() {
        return List.of(Tool.named("execute_statement")
                .description("Runs one INSERT, UPDATE or DELETE statement in its own transaction and returns how "
                        + "many rows it affected. Schema changes (CREATE, ALTER, DROP, TRUNCATE ...) and several "
                        + "statements at once are refused.")
                .effect(ToolEffect.DESTRUCTIVE)
                .inputSchema("""
                        {"type": "object",
                         "properties": {
                           "sql": {"type": "string", "minLength": 1,
                                   "description": "One INSERT, UPDATE or DELETE statement in the database's SQL dialect"}
                         },
                         "required": ["sql"],
                         "additionalProperties": false}""")
                .handler(ExecuteStatement.class, this::execute));
    }

    private ToolResult execute(ExecuteStatement arguments) throws ToolFailure {
        String sql = arguments.sql();
        String kind = switch (StatementClassifier.classify(sql)) {
            case DataChange change -> change.kind();
            case Query query -> throw new ToolFailure(
                    "execute_statement is for INSERT, UPDATE and DELETE; run queries with run_query.");
            case Refused refused -> throw new ToolFailure(refused.reason());
        };
        try {
            long affected = database.write(connection -> {
                try (Statement statement = database.statement(connection)) {
                    if (!statement.execute(sql)) {
                        return statement.getLargeUpdateCount();
                    }
                    // INSERT/UPDATE/DELETE ... RETURNING answers with the affected rows.
                    long rows = 0;
                    try (ResultSet returned = statement.getResultSet()) {
                        while (returned.next()) {
                            rows++;
                        }
                    }
                    return rows;
                }
            });
            return ToolResult.json(new Outcome(kind, affected));
        } catch (SQLException e) {
            throw SqlFailures.describe(e, database.statementTimeout());
        }
    }
}
