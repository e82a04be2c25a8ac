package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.OutputGuard;
import org.junit.jupiter.api.Test;

/** SQL statements, code blocks and blocked table or column names, each only when its check is on. */
class SqlAndCodeDetectionTest {

    private final TextGuard sql = Policies.defaults().with(Check.SQL, Check.Action.STRIP).guard();
    private final TextGuard code = Policies.defaults().with(Check.CODE_BLOCKS, Check.Action.STRIP).guard();

    @Test
    void anUpperCaseStatementInProseIsRemovedToItsSemicolon() {
        OutputGuard.Guarded out = sql.guard("I ran SELECT name, total FROM invoices WHERE total > 100; it returned 5 rows.");

        assertThat(out.text()).isEqualTo("I ran [removed by policy] it returned 5 rows.");
        assertThat(out.removals()).containsExactly("1 SQL statement");
    }

    @Test
    void statementsOfEveryKindAreRecognised() {
        for (String statement : new String[] {"INSERT INTO audit VALUES (1)", "UPDATE customers SET tier = 'gold'",
                "DELETE FROM sessions", "DROP TABLE invoices", "CREATE OR REPLACE VIEW v AS SELECT 1",
                "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", "TRUNCATE TABLE logs", "GRANT SELECT ON invoices TO bob"}) {
            assertThat(sql.guard("Query: " + statement).text()).as(statement).isEqualTo("Query: [removed by policy]");
        }
    }

    @Test
    void ordinaryEnglishWithSqlWordsStays() {
        String text = "Select a customer from the list, then update the notes and delete from your drafts.";

        assertThat(sql.guard(text).text()).isEqualTo(text);
    }

    @Test
    void inlineCodeHoldingSqlGoesInAnyCase() {
        assertThat(sql.guard("Use `select * from customers` to list them; `npm test` runs the tests.").text())
                .isEqualTo("Use [removed by policy] to list them; `npm test` runs the tests.");
    }

    @Test
    void aFencedSqlBlockGoesWhole() {
        OutputGuard.Guarded out = sql.guard("Here:\n```sql\nselect c.name, sum(i.amount)\nfrom invoices i\n```\nDone.");

        assertThat(out.text()).isEqualTo("Here:\n[removed by policy]\nDone.");
        assertThat(out.removals()).containsExactly("1 SQL statement");
    }

    @Test
    void aFencedBlockWithoutSqlStaysWhenOnlySqlIsChecked() {
        String text = "Run:\n```bash\nnpm install\n```\n";

        assertThat(sql.guard(text).text()).isEqualTo(text);
    }

    @Test
    void theCodeBlockCheckRemovesEveryFencedBlockEvenUnclosed() {
        OutputGuard.Guarded out = code.guard("A:\n```python\nprint('hi')\n```\nB:\n~~~\nrm -rf /\n");

        assertThat(out.text()).isEqualTo("A:\n[removed by policy]\nB:\n[removed by policy]\n");
        assertThat(out.removals()).containsExactly("2 code blocks");
    }

    @Test
    void withTheChecksOffSqlAndCodeStay() {
        String text = "SELECT name FROM invoices;\n```sql\nselect 1\n```\n";

        assertThat(Policies.defaults().guard().guard(text).text()).isEqualTo(text);
    }

    @Test
    void blockedTableAndColumnNamesAreRemovedAsWholeWords() {
        TextGuard names = Policies.defaults().blockIdentifiers("invoices", "customer_id").guard();

        OutputGuard.Guarded out = names.guard("The invoices table joins on customer_id; invoicesArchive is separate.");

        assertThat(out.text()).isEqualTo("The [removed by policy] table joins on [removed by policy]; invoicesArchive is separate.");
        assertThat(out.removals()).containsExactly("2 table or column names");
    }

    @Test
    void blockingSqlWithholdsTheAnswer() {
        TextGuard block = Policies.defaults().with(Check.SQL, Check.Action.BLOCK).guard();

        assertThat(block.guard("Try DELETE FROM invoices;").text()).isEqualTo(TextGuard.WITHHELD);
    }
}
