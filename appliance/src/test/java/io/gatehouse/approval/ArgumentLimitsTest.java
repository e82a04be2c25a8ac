package io.gatehouse.approval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argument limits of a Bounded action, as the pure function they are. */
class ArgumentLimitsTest {

    private static final String MAX_500_EUR = "{\"amount\": {\"max\": 500}, \"currency\": {\"oneOf\": [\"EUR\"]}}";

    @Test
    void noLimitsMeansAnyArgumentsAreWithinThem() {
        assertThat(ArgumentLimits.violation(null, "{\"amount\": 1e9}")).isEmpty();
        assertThat(ArgumentLimits.violation("", "not even json")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"amount\": 500, \"currency\": \"EUR\"}           | ",
            "{\"amount\": 500.00, \"currency\": \"EUR\"}        | ",
            "{\"amount\": -3, \"currency\": \"EUR\"}            | ",
            "{\"amount\": \"499.99\", \"currency\": \"EUR\"}    | ",
            "{\"amount\": 500.0000001, \"currency\": \"EUR\"}   | 'amount' is 500.0000001, over the maximum of 500",
            "{\"amount\": 501, \"currency\": \"EUR\"}           | 'amount' is 501, over the maximum of 500",
            "{\"amount\": \"900\", \"currency\": \"EUR\"}       | 'amount' is 900, over the maximum of 500",
            "{\"amount\": 5E+2, \"currency\": \"EUR\"}          | ",
            "{\"amount\": 5.01E+2, \"currency\": \"EUR\"}       | over the maximum of 500",
            "{\"amount\": 123456789012345678901234567890, \"currency\": \"EUR\"} | over the maximum of 500",
            "{\"currency\": \"EUR\"}                            | 'amount' is limited and must be given",
            "{\"amount\": null, \"currency\": \"EUR\"}          | 'amount' is limited and must be given",
            "{\"amount\": \"lots\", \"currency\": \"EUR\"}      | 'amount' must be a number",
            "{\"amount\": [1], \"currency\": \"EUR\"}           | 'amount' must be a number",
            "{\"amount\": true, \"currency\": \"EUR\"}          | 'amount' must be a number",
            "{\"amount\": 10, \"currency\": \"eur\"}            | 'currency' must be one of [\"EUR\"], not \"eur\"",
            "{\"amount\": 10, \"currency\": [\"EUR\"]}          | 'currency' must be one of",
            "{\"amount\": 10}                                   | 'currency' is limited and must be given",
            "{\"amount\": 10, \"amount\": 900, \"currency\": \"EUR\"} | not one JSON object (each name once)",
            "[500]                                              | not one JSON object",
            "{\"amount\": 10, \"currency\": \"EUR\"             | not one JSON object",
    })
    void aMaximumAndAllowedValuesAreCheckedExactly(String arguments, String expected) {
        var violation = ArgumentLimits.violation(MAX_500_EUR, arguments);
        if (expected == null) {
            assertThat(violation).as(arguments).isEmpty();
        } else {
            assertThat(violation).as(arguments).hasValueSatisfying(reason -> assertThat(reason).contains(expected));
        }
    }

    @Test
    void aMinimumIsCheckedNumerically() {
        String limits = "{\"quantity\": {\"min\": 1, \"max\": 10}}";

        assertThat(ArgumentLimits.violation(limits, "{\"quantity\": 1}")).isEmpty();
        assertThat(ArgumentLimits.violation(limits, "{\"quantity\": 10.0}")).isEmpty();
        assertThat(ArgumentLimits.violation(limits, "{\"quantity\": 0.999}")).hasValue("'quantity' is 0.999, under the minimum of 1");
        assertThat(ArgumentLimits.violation(limits, "{\"quantity\": -1}")).hasValue("'quantity' is -1, under the minimum of 1");
        assertThat(ArgumentLimits.violation(limits, "{\"quantity\": 11}")).hasValue("'quantity' is 11, over the maximum of 10");
    }

    @Test
    void allowedNumbersMatchByValueButNotAcrossTypes() {
        String limits = "{\"priority\": {\"oneOf\": [1, 2, 3]}}";

        assertThat(ArgumentLimits.violation(limits, "{\"priority\": 2}")).isEmpty();
        assertThat(ArgumentLimits.violation(limits, "{\"priority\": 2.0}")).isEmpty();
        assertThat(ArgumentLimits.violation(limits, "{\"priority\": 4}")).isPresent();
        assertThat(ArgumentLimits.violation(limits, "{\"priority\": \"2\"}")).isPresent();
    }

    @Test
    void missingArgumentsCountAsAnEmptyObject() {
        assertThat(ArgumentLimits.violation(MAX_500_EUR, "")).hasValue("'amount' is limited and must be given");
        assertThat(ArgumentLimits.violation(MAX_500_EUR, null)).hasValue("'amount' is limited and must be given");
    }

    @Test
    void limitsThatCannotBeReadRefuseTheCall() {
        assertThat(ArgumentLimits.violation("{\"amount\": {\"max\": \"500\"}}", "{\"amount\": 1}")).hasValueSatisfying(r -> assertThat(r)
                .contains("cannot be read"));
        assertThat(ArgumentLimits.violation("{\"amount\": {\"below\": 500}}", "{\"amount\": 1}")).hasValueSatisfying(r -> assertThat(r)
                .contains("unknown rule 'below'"));
        assertThat(ArgumentLimits.violation("{\"amount\": {}}", "{\"amount\": 1}")).isPresent();
        assertThat(ArgumentLimits.violation("[1]", "{\"amount\": 1}")).isPresent();
        assertThat(ArgumentLimits.violation("{\"currency\": {\"oneOf\": \"EUR\"}}", "{\"currency\": \"EUR\"}")).isPresent();
    }
}
