package io.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.ToolCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Months in the installation's zone, the refusal messages, and the input estimate. */
class BudgetTextTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aMonthIsTheCalendarMonthInTheInstallationsZone() {
        // 23:30 UTC on 30 November is already 1 December in Berlin.
        BudgetPeriod december = BudgetPeriod.of(Instant.parse("2026-11-30T23:30:00Z"), BERLIN);
        BudgetPeriod november = BudgetPeriod.of(Instant.parse("2026-11-30T22:59:59Z"), BERLIN);

        assertThat(december.month()).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(november.month()).isEqualTo(LocalDate.parse("2026-11-01"));
        assertThat(november.resetsAt()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(november.secondsUntilReset(Instant.parse("2026-11-30T22:59:59Z"))).isEqualTo(1);
        assertThat(november.secondsUntilReset(Instant.parse("2026-11-30T22:59:58.200Z"))).isEqualTo(2);
        assertThat(november.resetText()).isEqualTo("1 December 2026 (Europe/Berlin)");
        assertThat(november.label()).isEqualTo("2026-11");
    }

    @Test
    void aRefusalSaysWhichBudgetUsedOfLimitWhatTheCallNeedsAndTheResetDate() {
        BudgetPeriod period = BudgetPeriod.of(Instant.parse("2026-11-25T09:00:00Z"), BERLIN);
        UUID ana = UUID.randomUUID();

        assertThat(BudgetMessages.exceeded(new BudgetLedger.Exceeded(new Limit(new Counter(ana, "*"), Limit.Measure.TOKENS,
                BigDecimal.valueOf(10_000)), BigDecimal.valueOf(9_812), BigDecimal.valueOf(1_300)), period))
                .isEqualTo("You have used 9,812 of your 10,000 monthly tokens; this request needs up to 1,300. Your budget resets on"
                        + " 1 December 2026 (Europe/Berlin).");
        assertThat(BudgetMessages.exceeded(new BudgetLedger.Exceeded(new Limit(new Counter(ana, "gpt"), Limit.Measure.COST,
                new BigDecimal("5")), new BigDecimal("4.99871"), new BigDecimal("0.002009")), period))
                .isEqualTo("You have used 4.9988 of your 5.00 monthly cost budget for the model 'gpt'; this request may cost up to 0.0021."
                        + " Your budget resets on 1 December 2026 (Europe/Berlin).");
        assertThat(BudgetMessages.exceeded(new BudgetLedger.Exceeded(new Limit(new Counter(null, "*"), Limit.Measure.TOKENS,
                BigDecimal.valueOf(1_000_000)), BigDecimal.valueOf(999_000), BigDecimal.valueOf(1_033)), period))
                .isEqualTo("Everyone together has used 999,000 of the organisation's 1,000,000 monthly tokens; this request needs up to"
                        + " 1,033. The budget resets on 1 December 2026 (Europe/Berlin).");
    }

    @Test
    void theInputEstimateLeansHighForTextThatIsNotEnglish() {
        assertThat(InputEstimate.text("Hello")).isEqualTo(2);
        assertThat(InputEstimate.text("")).isZero();
        assertThat(InputEstimate.text("日本語のテキスト")).isEqualTo(8);
        assertThat(InputEstimate.text("naïve")).isEqualTo(1 + 1);
    }

    @Test
    void theInputEstimateCountsFramingToolCallsAndNeverLessThanFourCharactersAToken() {
        ModelRequest request = new ModelRequest("gpt", List.of(new ChatMessage("user", "Hello"),
                ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "demo__list", "{}"))),
                ChatMessage.toolResult("call_1", "a result of some length")), 100, null);

        long estimate = InputEstimate.tokens(request);

        assertThat(estimate).isEqualTo(3 + (4 + 2) + (4 + 2 + 3 + 1) + (4 + 6 + 2));
        assertThat(estimate).isGreaterThanOrEqualTo(io.gatehouse.model.Usage.estimate(request, 0).inputTokens());
    }
}
