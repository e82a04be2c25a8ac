package io.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which limits apply to a person calling a model: override, largest role default, global; per model and for all. */
class LimitsTest {

    private static final UUID ANA = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    private static Limit tokens(UUID user, String model, long amount) {
        return new Limit(new Counter(user, model), Limit.Measure.TOKENS, BigDecimal.valueOf(amount));
    }

    private static Limit cost(UUID user, String model, String amount) {
        return new Limit(new Counter(user, model), Limit.Measure.COST, new BigDecimal(amount));
    }

    @Test
    void withNoRulesNothingLimits() {
        assertThat(Limits.resolve(ANA, "gpt", List.of(new RuleRow("ROLE", "*", null, null)))).isEmpty();
    }

    @Test
    void thePersonGetsTheLargestDefaultOfTheirRolesAndRolesThatSetNoneDoNotLiftIt() {
        // The query's ROLE row is already the maximum over the person's roles (SQL max ignores nulls); the rows
        // here stand for two roles' per-model rules to show the same rule in the pure function.
        List<RuleRow> rows = List.of(new RuleRow("ROLE", "gpt", 100L, null), new RuleRow("ROLE", "gpt", 300L, null),
                new RuleRow("ROLE", "gpt", null, null));

        assertThat(Limits.resolve(ANA, "gpt", rows)).containsExactly(tokens(ANA, "gpt", 300));
    }

    @Test
    void anOverrideReplacesTheRoleDefaultUpOrDownAndOnlyForTheKindItSets() {
        List<RuleRow> rows = List.of(new RuleRow("ROLE", "*", 1_000L, new BigDecimal("5.00")),
                new RuleRow("USER", "*", 50_000L, null));

        assertThat(Limits.resolve(ANA, "gpt", rows)).containsExactly(tokens(ANA, "*", 50_000), cost(ANA, "*", "5.00"));
        assertThat(Limits.resolve(ANA, "gpt", List.of(new RuleRow("ROLE", "*", 1_000L, null), new RuleRow("USER", "*", 10L, null))))
                .containsExactly(tokens(ANA, "*", 10));
    }

    @Test
    void aModelRuleAppliesToThatModelOnlyBesideTheAllModelsRule() {
        List<RuleRow> rows = List.of(new RuleRow("USER", "*", 1_000L, null), new RuleRow("USER", "gpt", 200L, null),
                new RuleRow("USER", "claude", 300L, null));

        assertThat(Limits.resolve(ANA, "gpt", rows)).containsExactly(tokens(ANA, "*", 1_000), tokens(ANA, "gpt", 200));
        assertThat(Limits.resolve(ANA, "llama", rows)).containsExactly(tokens(ANA, "*", 1_000));
    }

    @Test
    void globalCapsCountEveryoneAndComeAfterThePersonsOwn() {
        List<RuleRow> rows = List.of(new RuleRow("GLOBAL", "*", null, new BigDecimal("100")), new RuleRow("GLOBAL", "gpt", 9_000L, null),
                new RuleRow("USER", "gpt", 20L, null));

        assertThat(Limits.resolve(ANA, "gpt", rows)).containsExactly(tokens(ANA, "gpt", 20), cost(null, "*", "100"),
                tokens(null, "gpt", 9_000));
    }

    @Test
    void aZeroBudgetIsALimitNotAnAbsenceOfOne() {
        assertThat(Limits.resolve(ANA, "gpt", List.of(new RuleRow("USER", "*", 0L, BigDecimal.ZERO))))
                .containsExactly(tokens(ANA, "*", 0), cost(ANA, "*", "0"));
    }

    @Test
    void limitCodesNameWhoseAndWhat() {
        assertThat(tokens(ANA, "*", 1).code()).isEqualTo("user.tokens");
        assertThat(cost(ANA, "gpt", "1").code()).isEqualTo("user.model.cost");
        assertThat(tokens(null, "*", 1).code()).isEqualTo("global.tokens");
        assertThat(cost(null, "gpt", "1").code()).isEqualTo("global.model.cost");
    }
}
