package io.gatehouse.audit;

import io.gatehouse.testing.AuditedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.auth.AuditRows;
import io.gatehouse.testing.TestPortal;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A change's audit row is followed by a FAILURE row when the change does not take effect after all. */
class ChangeAuditTest {

    static TestPortal portal;
    static ChangeAudit changes;
    static TransactionOperations<Connection> transactions;
    static AuditRows audit;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        portal = TestPortal.start();
        changes = portal.bean(ChangeAudit.class);
        transactions = portal.bean(TransactionOperations.class);
        audit = new AuditRows(portal);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aTransactionThatRollsBackAfterItsRowGetsAFailureRowPointingAtIt() {
        long mark = audit.mark();

        assertThatThrownBy(() -> transactions.executeWrite(status -> {
            changes.record(AuditEvent.of("test.rolled_back").target("thing", "t-1").detail("size", 3));
            throw new IllegalStateException("the change broke after its row was written");
        })).hasMessageContaining("broke");

        List<AuditedRows.Row> rows = audit.since(mark, "test.rolled_back");
        assertThat(rows).extracting(AuditedRows.Row::outcome).containsExactly("SUCCESS", "FAILURE");
        AuditedRows.Row failure = rows.get(1);
        assertThat(failure.targetId()).isEqualTo("t-1");
        assertThat(failure.details().path("size").asInt()).isEqualTo(3);
        assertThat(failure.detail("reason")).isEqualTo("not_committed");
        assertThat(failure.details().path("corrects_seq").asLong()).isEqualTo(rows.get(0).seq());
    }

    @Test
    void aCommittedTransactionHasItsSuccessRowOnly() {
        long mark = audit.mark();

        transactions.executeWrite(status -> changes.record(AuditEvent.of("test.committed")));

        assertThat(audit.since(mark, "test.committed")).extracting(AuditedRows.Row::outcome).containsExactly("SUCCESS");
    }

    @Test
    void aChangeOutsideATransactionThatThrowsGetsAFailureRow() {
        long mark = audit.mark();

        assertThatThrownBy(() -> changes.around(AuditEvent.of("test.around"), () -> {
            throw new IllegalStateException("no");
        })).hasMessage("no");

        assertThat(audit.since(mark, "test.around")).extracting(AuditedRows.Row::outcome).containsExactly("SUCCESS", "FAILURE");
        assertThat(audit.since(mark, "test.around").get(1).detail("reason")).isEqualTo("change_failed");
    }

    @Test
    void recordingAChangeWithoutItsTransactionIsAProgrammingError() {
        long mark = audit.mark();

        assertThatThrownBy(() -> changes.record(AuditEvent.of("test.no_transaction"))).isInstanceOf(IllegalStateException.class);

        assertThat(audit.since(mark, "test.no_transaction")).isEmpty();
    }
}
