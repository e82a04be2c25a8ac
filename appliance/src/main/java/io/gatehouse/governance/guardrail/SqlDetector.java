package io.gatehouse.governance.guardrail;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL statements. In prose a statement starts with an upper-case keyword (as models write SQL in text, and as
 * "select a customer from the list" is not) and runs to its semicolon or the end of the line; in inline code
 * and fenced code blocks any case counts.
 */
final class SqlDetector {

    private static final String STATEMENT_START =
            "select\\b[^;]{0,2000}?\\bfrom\\b|insert\\s+into\\b|update\\s+[\\w.\"`]+\\s+set\\b|delete\\s+from\\b"
                    + "|(?:create|alter|drop)\\s+(?:or\\s+replace\\s+)?(?:temp(?:orary)?\\s+)?(?:unique\\s+)?"
                    + "(?:table|view|index|schema|database|function|procedure|trigger|sequence|role|user)\\b"
                    + "|truncate\\s+(?:table\\s+)?[\\w.\"]+|with\\s+(?:recursive\\s+)?\\w+\\s+as\\s*\\(|grant\\s+[\\w, ]+?\\s+on\\b|merge\\s+into\\b";

    /** The same statements, keywords in upper case only, within one line. */
    private static final Pattern PROSE = Pattern.compile("(?<![\\w])(?:SELECT\\b[^;\\n]{0,1000}?\\bFROM\\b|INSERT\\s+INTO\\b"
            + "|UPDATE\\s+[\\w.\"`]+\\s+SET\\b|DELETE\\s+FROM\\b|(?:CREATE|ALTER|DROP)\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMP(?:ORARY)?\\s+)?"
            + "(?:UNIQUE\\s+)?(?:TABLE|VIEW|INDEX|SCHEMA|DATABASE|FUNCTION|PROCEDURE|TRIGGER|SEQUENCE|ROLE|USER)\\b"
            + "|TRUNCATE\\s+(?:TABLE\\s+)?[\\w.\"]+|WITH\\s+(?:RECURSIVE\\s+)?\\w+\\s+AS\\s*\\(|GRANT\\s+[\\w, ]+?\\s+ON\\b"
            + "|MERGE\\s+INTO\\b)[^;\\n]*;?");
    private static final Pattern ANY_CASE = Pattern.compile("(?i)(?<![\\w])(?:" + STATEMENT_START + ")");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    /** Upper-case words that may start a statement: the stream holds a line back from the first one. */
    static final Pattern KEYWORD = Pattern.compile("(?<![\\w])(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|WITH|GRANT|MERGE)(?![\\w])");
    private static final Pattern SQL_INFO = Pattern.compile("(?i)\\s*(?:sql|psql|pgsql|plsql|postgres(?:ql)?|mysql|mariadb|tsql|sqlite)\\b.*");

    private SqlDetector() {
    }

    /** Statements in one line of prose, and inline code that holds SQL. */
    static void findInProse(String line, List<Finding> out) {
        Matcher m = PROSE.matcher(line);
        while (m.find()) {
            out.add(new Finding(m.start(), m.end(), RemovalKind.SQL, TextGuard.REMOVED));
        }
        Matcher code = INLINE_CODE.matcher(line);
        while (code.find()) {
            if (ANY_CASE.matcher(code.group(1).strip()).lookingAt()) {
                out.add(new Finding(code.start(), code.end(), RemovalKind.SQL, TextGuard.REMOVED));
            }
        }
    }

    /** A fenced block is SQL when its info string names an SQL dialect or its body holds a statement. */
    static boolean isSqlBlock(String info, String body) {
        return SQL_INFO.matcher(info).matches() || ANY_CASE.matcher(body).find();
    }
}
