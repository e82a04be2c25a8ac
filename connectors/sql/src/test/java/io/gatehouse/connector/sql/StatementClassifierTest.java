package io.gatehouse.connector.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.connector.sql.StatementClassifier.DataChange;
import io.gatehouse.connector.sql.StatementClassifier.Query;
import io.gatehouse.connector.sql.StatementClassifier.Refused;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "select 1",
        "select 1;",
        "SELECT id, name FROM customers WHERE country = 'DE' ORDER BY name LIMIT 5",
        "select c.name, sum(o.total) over (partition by c.id) from customers c join orders o on o.customer_id = c.id",
        "with paid as (select * from orders where status = 'paid') select customer_id, sum(total) from paid group by 1",
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r",
        "select id from orders union select id from customers",
        "select * from customers c where exists (select 1 from orders o where o.customer_id = c.id)",
        "select (select max(total) from orders o where o.customer_id = c.id) from customers c",
        "select * from customers c left join lateral (select * from orders o where o.customer_id = c.id limit 1) x on true",
        "select distinct on (customer_id) customer_id, total from orders order by customer_id, total desc",
        "select total::text, created_at at time zone 'UTC' from orders",
        "select * from orders where ordered_on > current_date - interval '30 days'",
        "select date_trunc('month', ordered_on), count(*) filter (where status = 'paid') from orders group by 1",
        "select name from customers where name ilike '%gmbh%' order by name nulls last",
        "select payload->>'kind' from events",
        "select * from generate_series(1, 10) g",
        "select * from orders fetch first 5 rows only",
        "select `name` from `customers` limit 2, 5",
        "select 1 from dual",
        "select pg_sleep(30)",
        "values (1), (2)",
        "table customers",
        "select 'it''s' as quoted",
    })
    void plainReadQueriesAreQueries(String sql) {
        assertThat(StatementClassifier.classify(sql)).as(sql).isEqualTo(new Query());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "insert into customers (id, name) values (9, 'x')                  | INSERT",
        "INSERT INTO archive SELECT * FROM orders WHERE status = 'paid'      | INSERT",
        "update orders set status = 'paid' where id = 1                    | UPDATE",
        "delete from orders where id = 1                                   | DELETE",
        "with old as (select id from orders where total < 1) delete from orders where id in (select id from old) | DELETE",
    })
    void singleWritesAreDataChanges(String sql, String kind) {
        assertThat(StatementClassifier.classify(sql)).as(sql).isEqualTo(new DataChange(kind));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                                | The SQL text is empty.",
        "select * from orders for update                                   | Locking clauses (FOR UPDATE)",
        "select * from orders for share                                    | Locking clauses (FOR SHARE)",
        "select * from orders for no key update                            | Locking clauses (FOR NO KEY UPDATE)",
        "select * from orders for update skip locked                       | Locking clauses (FOR UPDATE)",
        "select * from (select * from orders for update) locked            | Locking clauses (FOR UPDATE)",
        "select 1 union select 2 for update                                | Locking clauses (FOR UPDATE)",
        "select * from customers where id in (select customer_id from orders for key share) | Locking clauses (FOR KEY SHARE)",
        "select * from orders lock in share mode                           | could not be parsed",
        "with gone as (delete from orders returning id) select * from gone | contains a DELETE (in a WITH clause)",
        "with moved as (insert into archive select * from orders returning id) select count(*) from moved | contains an INSERT",
        "select * from customers where id in (with d as (update orders set total = 0 returning customer_id) select customer_id from d) | contains an UPDATE",
        "select * into orders_copy from orders                             | SELECT ... INTO",
        "select * from orders into outfile '/tmp/orders.csv'               | SELECT ... INTO",
        "select 1; select 2                                                | Send exactly one SQL statement; this text contains 2.",
        "select 1; delete from orders                                      | Send exactly one SQL statement; this text contains 2.",
        "select '\\'; delete from orders; --'                              | Send exactly one SQL statement",
        "drop table orders                                                 | DROP statements are not allowed",
        "truncate table orders                                             | TRUNCATE statements are not allowed",
        "create table x (id int)                                           | CREATE TABLE statements are not allowed",
        "alter table orders add column note text                           | ALTER statements are not allowed",
        "grant all on orders to public                                     | GRANT statements are not allowed",
        "explain analyze delete from orders                                | EXPLAIN statements are not allowed",
        "call purge_orders()                                               | EXECUTE statements are not allowed",
        "copy orders to '/tmp/orders.csv'                                  | could not be parsed",
        "do $$ begin delete from orders; end $$                            | could not be parsed",
        "set transaction read write                                        | could not be parsed",
    })
    void everythingElseIsRefusedWithAReason(String sql, String reasonFragment) {
        assertThat(StatementClassifier.classify(sql)).as(sql)
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason()).contains(reasonFragment));
    }

    @org.junit.jupiter.api.Test
    void overlongTextIsRefusedBeforeParsing() {
        String sql = "select 1 " + "-".repeat(StatementClassifier.MAX_SQL_LENGTH);

        assertThat(StatementClassifier.classify(sql)).isEqualTo(new Refused(
                "The SQL text is longer than " + StatementClassifier.MAX_SQL_LENGTH + " characters; shorten it."));
    }
}
