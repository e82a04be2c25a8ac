package io.gatehouse.connector.sql;

import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.StatementVisitor;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.ForMode;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Decides, from a real SQL parse (JSqlParser), what a piece of SQL text is: one plain read-only query,
 * one data change (INSERT, UPDATE, DELETE), or something this connector refuses. The first of two walls:
 * queries also run in a read-only transaction, so anything the parser misreads is still stopped by the
 * database.
 */
final class StatementClassifier {

    static final int MAX_SQL_LENGTH = 100_000;

    private StatementClassifier() {
    }

    /** The outcome of classifying SQL text. */
    sealed interface Classification permits Query, DataChange, Refused {
    }

    /** Exactly one SELECT (or WITH ... SELECT, VALUES, TABLE) without locking clauses, INTO or writes. */
    record Query() implements Classification {
    }

    /** Exactly one INSERT, UPDATE or DELETE. */
    record DataChange(String kind) implements Classification {
    }

    /** Not allowed; the reason is written for the person or model that sent the SQL. */
    record Refused(String reason) implements Classification {
    }

    static Classification classify(String sql) {
        if (sql == null || sql.isBlank()) {
            return new Refused("The SQL text is empty.");
        }
        if (sql.length() > MAX_SQL_LENGTH) {
            return new Refused("The SQL text is longer than " + MAX_SQL_LENGTH + " characters; shorten it.");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql);
        } catch (JSQLParserException | RuntimeException e) {
            return new Refused("The SQL could not be parsed, so it was not run: " + parserMessage(e)
                    + ". Check the syntax, or simplify the statement.");
        }
        if (statements.size() != 1) {
            return new Refused("Send exactly one SQL statement; this text contains " + statements.size() + ".");
        }
        Statement statement = statements.getFirst();
        if (statement instanceof Select select) {
            String problem = WriteFinder.problemIn(select);
            return problem == null ? new Query() : new Refused(problem);
        }
        return switch (statement) {
            case Insert ignored -> new DataChange("INSERT");
            case Update ignored -> new DataChange("UPDATE");
            case Delete ignored -> new DataChange("DELETE");
            default -> new Refused(kindOf(statement) + " statements are not allowed through this connector; "
                    + "it runs SELECT queries and single INSERT, UPDATE or DELETE statements.");
        };
    }

    private static String kindOf(Statement statement) {
        String name = statement.getClass().getSimpleName()
                .replace("Statement", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2");
        return name.isBlank() ? "These" : name.toUpperCase(Locale.ROOT);
    }

    private static String parserMessage(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    /**
     * Walks every query block, including sub-queries, set operations and CTEs, and reports the first
     * construct that writes or locks. JSqlParser's table finder already visits every nested query;
     * this adds the checks.
     */
    private static final class WriteFinder extends TablesNamesFinder<Void> {

        private static final List<ForMode> HARMLESS_FOR_MODES = List.of(ForMode.READ_ONLY, ForMode.FETCH_ONLY);

        private String problem;

        private WriteFinder() {
            init(false);
        }

        static String problemIn(Select select) {
            WriteFinder finder = new WriteFinder();
            try {
                select.accept((StatementVisitor<Void>) finder, null);
            } catch (RuntimeException e) {
                if (finder.problem == null) {
                    // Fail closed: a query the checker cannot walk is not run.
                    return "The query uses SQL the connector cannot verify as read-only, so it was not run; "
                            + "simplify it.";
                }
            }
            return finder.problem;
        }

        private boolean refuse(String reason) {
            if (problem == null) {
                problem = reason;
            }
            return false;
        }

        /** Returns whether to keep walking into this query block. */
        private boolean allowed(Select select) {
            if (problem != null) {
                return false;
            }
            if (select.getForMode() != null && !HARMLESS_FOR_MODES.contains(select.getForMode())) {
                return refuse("Locking clauses (FOR " + select.getForMode().getValue()
                        + ") are not allowed in run_query: it only reads.");
            }
            if (select.getWithItemsList() != null) {
                for (WithItem<?> withItem : select.getWithItemsList()) {
                    switch (withItem.getStatement()) {
                        case ParenthesedSelect ignored -> {
                        }
                        case ParenthesedInsert ignored -> {
                            return refuse(nestedWrite("INSERT"));
                        }
                        case ParenthesedUpdate ignored -> {
                            return refuse(nestedWrite("UPDATE"));
                        }
                        default -> {
                            return refuse(nestedWrite("DELETE"));
                        }
                    }
                }
            }
            if (select instanceof PlainSelect plain
                    && (plain.getIntoTables() != null || plain.getIntoTempTable() != null
                            || plain.getMySqlSelectIntoClause() != null)) {
                return refuse("SELECT ... INTO writes its result somewhere, so it is not allowed in run_query; "
                        + "drop the INTO clause.");
            }
            return true;
        }

        private static String nestedWrite(String kind) {
            return "run_query only reads, but this query contains " + (kind.equals("DELETE") ? "a " : "an ") + kind
                    + " (in a WITH clause), so it was not run. Changes go through execute_statement.";
        }

        @Override
        public <S> Void visit(PlainSelect plainSelect, S context) {
            return allowed(plainSelect) ? super.visit(plainSelect, context) : null;
        }

        @Override
        public <S> Void visit(SetOperationList setOperationList, S context) {
            return allowed(setOperationList) ? super.visit(setOperationList, context) : null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect parenthesedSelect, S context) {
            return allowed(parenthesedSelect) ? super.visit(parenthesedSelect, context) : null;
        }

        @Override
        public <S> Void visit(Insert insert, S context) {
            refuse(nestedWrite("INSERT"));
            return null;
        }

        @Override
        public <S> Void visit(Update update, S context) {
            refuse(nestedWrite("UPDATE"));
            return null;
        }

        @Override
        public <S> Void visit(Delete delete, S context) {
            refuse(nestedWrite("DELETE"));
            return null;
        }

        @Override
        public <S> Void visit(Merge merge, S context) {
            refuse("MERGE is not allowed through this connector.");
            return null;
        }

        @Override
        public <S> Void visit(Upsert upsert, S context) {
            refuse("UPSERT is not allowed through this connector.");
            return null;
        }
    }
}
