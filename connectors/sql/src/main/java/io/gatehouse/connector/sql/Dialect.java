package io.gatehouse.connector.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** What differs between PostgreSQL and MySQL/MariaDB: catalog queries and how a transaction is fenced. */
enum Dialect {

    POSTGRESQL {
        @Override
        String listSchemasSql() {
            return """
                    select schema_name from information_schema.schemata
                    where schema_name <> 'information_schema' and schema_name not like 'pg\\_%'
                    order by schema_name""";
        }

        @Override
        String columnsSql() {
            // format_type gives the declared type with its modifiers (character varying(100), numeric(10,2)).
            return """
                    select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), not a.attnotnull
                    from pg_catalog.pg_attribute a
                    join pg_catalog.pg_class c on c.oid = a.attrelid
                    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = ? and c.relname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f')
                      and a.attnum > 0 and not a.attisdropped
                      and pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
                    order by a.attnum""";
        }

        @Override
        void beginReadOnly(Connection connection, Duration timeout) throws SQLException {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            execute(connection, "SET TRANSACTION READ ONLY");
            execute(connection, "SET LOCAL statement_timeout = " + timeout.toMillis());
        }

        @Override
        void beginWrite(Connection connection, Duration timeout) throws SQLException {
            connection.setAutoCommit(false);
            execute(connection, "SET LOCAL statement_timeout = " + timeout.toMillis());
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            connection.rollback();
        }

        @Override
        void commit(Connection connection) throws SQLException {
            connection.commit();
        }

        @Override
        ResultSet importedKeys(DatabaseMetaData metaData, String schema, String table) throws SQLException {
            return metaData.getImportedKeys(null, schema, table);
        }

        @Override
        String referencedSchema(ResultSet importedKeys) throws SQLException {
            return importedKeys.getString("PKTABLE_SCHEM");
        }
    },

    MARIADB {
        @Override
        String listSchemasSql() {
            return """
                    select schema_name from information_schema.schemata
                    where schema_name not in ('information_schema', 'mysql', 'performance_schema', 'sys')
                    order by schema_name""";
        }

        @Override
        String columnsSql() {
            return """
                    select column_name, column_type, is_nullable = 'YES'
                    from information_schema.columns
                    where table_schema = ? and table_name = ?
                    order by ordinal_position""";
        }

        // The statement timeout is the driver's query timeout, which MariaDB enforces on the server
        // (SET STATEMENT max_statement_time=... FOR ...): a session variable would break on MySQL servers.
        @Override
        void beginReadOnly(Connection connection, Duration timeout) throws SQLException {
            connection.setAutoCommit(true);
            execute(connection, "START TRANSACTION READ ONLY");
        }

        @Override
        void beginWrite(Connection connection, Duration timeout) throws SQLException {
            connection.setAutoCommit(true);
            execute(connection, "START TRANSACTION");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        ResultSet importedKeys(DatabaseMetaData metaData, String schema, String table) throws SQLException {
            return metaData.getImportedKeys(schema, null, table);
        }

        @Override
        String referencedSchema(ResultSet importedKeys) throws SQLException {
            return importedKeys.getString("PKTABLE_CAT");
        }

        @Override
        String normalize(String url) {
            // MariaDB Connector/J 3 only takes jdbc:mysql: URLs with an extra flag; it speaks to MySQL either way.
            return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
        }
    };

    static Optional<Dialect> of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return Optional.of(MARIADB);
        }
        return Optional.empty();
    }

    /** Schemas (PostgreSQL) or databases (MariaDB) the user can see, without the system ones. */
    abstract String listSchemasSql();

    String listTablesSql() {
        return """
                select table_name, table_type from information_schema.tables
                where table_schema = ?
                order by table_name""";
    }

    /** Columns of (schema, table): name, declared type, nullable. */
    abstract String columnsSql();

    String primaryKeySql() {
        return """
                select k.column_name
                from information_schema.table_constraints c
                join information_schema.key_column_usage k
                  on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name
                 and k.table_schema = c.table_schema and k.table_name = c.table_name
                where c.constraint_type = 'PRIMARY KEY' and c.table_schema = ? and c.table_name = ?
                order by k.ordinal_position""";
    }

    /** Starts a read-only transaction whose statements the database cancels after {@code timeout}. */
    abstract void beginReadOnly(Connection connection, Duration timeout) throws SQLException;

    abstract void beginWrite(Connection connection, Duration timeout) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

    abstract void commit(Connection connection) throws SQLException;

    abstract ResultSet importedKeys(DatabaseMetaData metaData, String schema, String table) throws SQLException;

    abstract String referencedSchema(ResultSet importedKeys) throws SQLException;

    String normalize(String url) {
        return url;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
