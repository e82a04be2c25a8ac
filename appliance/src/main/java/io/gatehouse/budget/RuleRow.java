package io.gatehouse.budget;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;

/**
 * A stored amount as the limits of a call are built from it: {@code level} USER (the person's override), ROLE
 * (the largest default of their roles) or GLOBAL; {@code model} a model name or '*'.
 */
@Introspected
record RuleRow(String level, String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {

    static final String USER = "USER";
    static final String ROLE = "ROLE";
    static final String GLOBAL = "GLOBAL";
}
