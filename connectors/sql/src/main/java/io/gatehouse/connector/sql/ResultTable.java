package io.gatehouse.connector.sql;

import java.sql.Array;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A query result as a compact table: column names once, then rows as arrays, so a result costs the model
 * as few tokens as possible. {@code truncated} says that more rows existed than were returned.
 */
record ResultTable(List<String> columns, List<List<Object>> rows, int rowCount, boolean truncated) {

    /** Reads at most {@code maxRows} rows; the caller asked the driver for one more to detect truncation. */
    static ResultTable read(ResultSet resultSet, int maxRows) throws SQLException {
        ResultSetMetaData metaData = resultSet.getMetaData();
        int width = metaData.getColumnCount();
        List<String> columns = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
            columns.add(metaData.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (resultSet.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(width);
            for (int i = 1; i <= width; i++) {
                row.add(value(resultSet, i, metaData.getColumnType(i), metaData.getColumnTypeName(i)));
            }
            rows.add(row);
        }
        return new ResultTable(columns, rows, rows.size(), truncated);
    }

    /** A JSON-friendly value: numbers, strings, booleans, null; dates and times as ISO-8601 text. */
    private static Object value(ResultSet resultSet, int column, int type, String typeName) throws SQLException {
        return switch (type) {
            case Types.DATE -> text(resultSet.getObject(column, LocalDate.class));
            case Types.TIME -> {
                LocalTime time = resultSet.getObject(column, LocalTime.class);
                yield time == null ? null : DateTimeFormatter.ISO_LOCAL_TIME.format(time);
            }
            case Types.TIMESTAMP_WITH_TIMEZONE -> offsetDateTime(resultSet, column);
            case Types.TIMESTAMP -> "timestamptz".equalsIgnoreCase(typeName)
                    ? offsetDateTime(resultSet, column)
                    : localDateTime(resultSet.getObject(column, LocalDateTime.class));
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] bytes = resultSet.getBytes(column);
                yield bytes == null ? null : "(" + bytes.length + " bytes of binary data)";
            }
            case Types.ARRAY -> {
                Array array = resultSet.getArray(column);
                yield array == null ? null : Arrays.stream((Object[]) array.getArray()).map(ResultTable::plain).toList();
            }
            default -> plain(resultSet.getObject(column));
        };
    }

    private static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String text -> text;
            case Boolean bool -> bool;
            case Double number when !Double.isFinite(number) -> number.toString();
            case Float number when !Float.isFinite(number) -> number.toString();
            case Number number -> number;
            case java.sql.Timestamp timestamp -> localDateTime(timestamp.toLocalDateTime());
            case java.sql.Date date -> date.toLocalDate().toString();
            case Clob clob -> {
                try {
                    yield clob.getSubString(1, (int) Math.min(clob.length(), Integer.MAX_VALUE));
                } catch (SQLException e) {
                    yield "(unreadable text)";
                }
            }
            case byte[] bytes -> "(" + bytes.length + " bytes of binary data)";
            default -> value.toString();
        };
    }

    private static Object offsetDateTime(ResultSet resultSet, int column) throws SQLException {
        OffsetDateTime value = resultSet.getObject(column, OffsetDateTime.class);
        return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
    }

    private static Object localDateTime(LocalDateTime value) {
        return value == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value);
    }

    private static Object text(Object value) {
        return value == null ? null : value.toString();
    }
}
