package io.gatehouse.governance.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.killswitch.KillSwitch.Scope;
import io.gatehouse.governance.killswitch.Switchboard.Tripped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The decisions themselves, without a portal: which switch stops a model call, a dispatch, an API token. */
class SwitchboardTest {

    static final UUID ANA = UUID.randomUUID();
    static final UUID BOB = UUID.randomUUID();
    static final UUID ANALYSTS = UUID.randomUUID();
    static final UUID MANAGERS = UUID.randomUUID();

    static Switchboard board(Tripped... engaged) {
        return Switchboard.of(List.of(engaged));
    }

    static Supplier<Set<UUID>> roles(UUID... ids) {
        return () -> Set.of(ids);
    }

    @Test
    void nothingEngagedStopsNothingAndNeverAsksForRoles() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<Set<UUID>> counting = () -> {
            asked.incrementAndGet();
            return Set.of(ANALYSTS);
        };

        assertThat(Switchboard.NOTHING.modelCall(ANA, counting, "gpt")).isEmpty();
        assertThat(Switchboard.NOTHING.dispatch(ANA, counting, "demo", "run_query")).isEmpty();
        assertThat(Switchboard.NOTHING.holdsApiAccess(ANA)).isFalse();
        assertThat(board(new Tripped(Scope.MODEL, "other")).modelCall(ANA, counting, "gpt")).isEmpty();
        assertThat(asked).hasValue(0);
    }

    @Test
    void theGlobalSwitchStopsEveryModelCallAndEveryDispatchButHoldsNoTokens() {
        Switchboard board = board(new Tripped(Scope.GLOBAL, ""));

        assertThat(board.modelCall(ANA, roles(), "gpt")).contains(new Tripped(Scope.GLOBAL, ""));
        assertThat(board.dispatch(BOB, roles(), "demo", "run_query")).contains(new Tripped(Scope.GLOBAL, ""));
        assertThat(board.holdsApiAccess(ANA)).isFalse();
        assertThat(board.isTripped(Scope.GLOBAL, "")).isTrue();
    }

    @Test
    void aModelSwitchStopsThatModelOnlyAndNoDispatch() {
        Switchboard board = board(new Tripped(Scope.MODEL, "gpt"));

        assertThat(board.modelCall(ANA, roles(), "gpt")).contains(new Tripped(Scope.MODEL, "gpt"));
        assertThat(board.modelCall(ANA, roles(), "claude")).isEmpty();
        assertThat(board.modelCall(ANA, roles(), "GPT")).as("model names are exact").isEmpty();
        assertThat(board.dispatch(ANA, roles(), "gpt", "x")).isEmpty();
    }

    @Test
    void connectorAndToolSwitchesStopDispatchesOnlyAndOnlyTheirOwn() {
        Switchboard board = board(new Tripped(Scope.CONNECTOR, "crm"), new Tripped(Scope.TOOL, "demo__run_query"));

        assertThat(board.dispatch(ANA, roles(), "crm", "anything")).contains(new Tripped(Scope.CONNECTOR, "crm"));
        assertThat(board.dispatch(ANA, roles(), "demo", "run_query")).contains(new Tripped(Scope.TOOL, "demo__run_query"));
        assertThat(board.dispatch(ANA, roles(), "demo", "list_tables")).isEmpty();
        assertThat(board.dispatch(ANA, roles(), "crmx", "anything")).isEmpty();
        assertThat(board.modelCall(ANA, roles(), "crm")).isEmpty();
    }

    @Test
    void aRoleSwitchStopsEveryoneHoldingTheRoleForModelCallsAndDispatches() {
        Switchboard board = board(new Tripped(Scope.ROLE, ANALYSTS.toString()));
        Tripped expected = new Tripped(Scope.ROLE, ANALYSTS.toString());

        assertThat(board.modelCall(ANA, roles(MANAGERS, ANALYSTS), "gpt")).contains(expected);
        assertThat(board.dispatch(ANA, roles(ANALYSTS), "demo", "run_query")).contains(expected);
        assertThat(board.modelCall(BOB, roles(MANAGERS), "gpt")).isEmpty();
        assertThat(board.holdsApiAccess(ANA)).isFalse();
    }

    @Test
    void aUserSwitchStopsThatPersonEverywhereAndHoldsTheirApiTokens() {
        Switchboard board = board(new Tripped(Scope.USER, ANA.toString()));
        Tripped expected = new Tripped(Scope.USER, ANA.toString());

        assertThat(board.modelCall(ANA, roles(), "gpt")).contains(expected);
        assertThat(board.dispatch(ANA, roles(), "demo", "run_query")).contains(expected);
        assertThat(board.holdsApiAccess(ANA)).isTrue();
        assertThat(board.modelCall(BOB, roles(), "gpt")).isEmpty();
        assertThat(board.holdsApiAccess(BOB)).isFalse();
    }

    @Test
    void theWidestSwitchIsNamedWhenSeveralApply() {
        Switchboard board = board(new Tripped(Scope.MODEL, "gpt"), new Tripped(Scope.USER, ANA.toString()),
                new Tripped(Scope.ROLE, ANALYSTS.toString()), new Tripped(Scope.CONNECTOR, "demo"));

        assertThat(board.modelCall(ANA, roles(ANALYSTS), "gpt").map(Tripped::scope)).contains(Scope.USER);
        assertThat(board.modelCall(BOB, roles(ANALYSTS), "gpt").map(Tripped::scope)).contains(Scope.ROLE);
        assertThat(board.dispatch(BOB, roles(), "demo", "run_query").map(Tripped::scope)).contains(Scope.CONNECTOR);
        assertThat(board(new Tripped(Scope.GLOBAL, ""), new Tripped(Scope.USER, ANA.toString()))
                .modelCall(ANA, roles(), "gpt").map(Tripped::scope)).contains(Scope.GLOBAL);
    }

    @Test
    void aRowWithAMalformedIdIsIgnoredRatherThanBreakingTheSnapshot() {
        Switchboard board = board(new Tripped(Scope.USER, "not-a-uuid"), new Tripped(Scope.ROLE, ""));

        assertThat(board.users()).isEmpty();
        assertThat(board.roles()).isEmpty();
        assertThat(board.isTripped(Scope.USER, "not-a-uuid")).isFalse();
        assertThat(board.modelCall(ANA, roles(), "gpt")).isEqualTo(Optional.empty());
    }
}
