package io.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.EmbeddedPostgres;
import io.gatehouse.testing.SharedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoDatabaseTest {

    static EmbeddedPostgres server;
    static DemoDatabase.Access access;

    @BeforeAll
    static void create() {
        server = SharedPostgres.server();
        access = DemoDatabase.ensure(server.jdbcUrl("postgres"), server.jdbcUrl(DemoDatabase.DATABASE), server.user(), new SecureRandom());
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theDemoDatabaseHoldsAFewThousandRowsOfConsistentBusinessData() throws Exception {
        try (Connection c = DriverManager.getConnection(access.jdbcUrl(), access.user(), access.password())) {
            assertThat(count(c, "select count(*) from customers")).isEqualTo(450);
            assertThat(count(c, "select count(*) from orders")).isEqualTo(3200);
            assertThat(count(c, "select count(*) from invoices")).isBetween(2500L, 3200L);
            assertThat(count(c, "select count(*) from support_tickets")).isEqualTo(1400);
            assertThat(count(c, "select count(*) from invoices i join orders o on o.id = i.order_id where o.customer_id <> i.customer_id")).isZero();
            assertThat(count(c, "select count(*) from invoices where status = 'paid' and paid_on is null")).isZero();
            assertThat(count(c, "select count(*) from invoices where issued_on >= date_trunc('quarter', current_date) - interval '3 months'"
                    + " and issued_on < date_trunc('quarter', current_date)")).isPositive();
        }
    }

    @Test
    void theReaderRoleCanReadButNotWrite() throws Exception {
        try (Connection c = DriverManager.getConnection(access.jdbcUrl(), access.user(), access.password())) {
            assertThat(count(c, "select count(*) from products")).isEqualTo(15);
            assertThatThrownBy(() -> c.createStatement().execute("delete from customers"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> c.createStatement().execute("create table evil (x int)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void ensuringAgainKeepsTheDataAndIssuesANewReaderPassword() throws Exception {
        DemoDatabase.Access again = DemoDatabase.ensure(server.jdbcUrl("postgres"), server.jdbcUrl(DemoDatabase.DATABASE),
                server.user(), new SecureRandom());

        assertThat(again.password()).isNotEqualTo(access.password());
        try (Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password())) {
            assertThat(count(c, "select count(*) from customers")).isEqualTo(450);
        }
        access = again;
    }
}
