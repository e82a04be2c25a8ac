package io.gatehouse.connector.sql;

import io.gatehouse.connector.sdk.ToolFailure;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/** Turns a database error into a message a person (or the model) can act on. */
final class SqlFailures {

    private SqlFailures() {
    }

    static ToolFailure describe(SQLException e, Duration statementTimeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = firstLine(e.getMessage());
        if (e instanceof SQLTimeoutException || state.equals("57014") || state.equals("70100")
                || e.getErrorCode() == 1969 || e.getErrorCode() == 3024) {
            return new ToolFailure("The statement was cancelled after the " + statementTimeout.toSeconds()
                    + " s statement timeout and changed nothing. Make it cheaper (filter with WHERE, aggregate, "
                    + "add LIMIT) or ask an admin to raise SQL_STATEMENT_TIMEOUT_SECONDS.", e);
        }
        if (state.equals("25006") || e.getErrorCode() == 1792) {
            return new ToolFailure("The database refused to change data inside a read-only query (" + detail
                    + "). Nothing was changed; use execute_statement for changes.", e);
        }
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")) {
            return new ToolFailure("The database cannot be reached right now (" + detail + "). Try again later, "
                    + "or ask an admin to check the connector's SQL_URL.", e);
        }
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return new ToolFailure("The database refused the connector's credentials (" + detail
                    + "). Ask an admin to check SQL_USER and SQL_PASSWORD.", e);
        }
        if (state.equals("42501") || e.getErrorCode() == 1142 || e.getErrorCode() == 1143) {
            return new ToolFailure("The connector's database user may not do this (" + detail + ").", e);
        }
        return new ToolFailure("The database rejected the statement: " + detail
                + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")") + ". Nothing was changed.", e);
    }

    private static String firstLine(String message) {
        return message == null ? "no detail" : message.lines().findFirst().orElse("").strip();
    }
}
