package io.gatehouse.budget;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;

/** A rule's monthly amounts: tokens and cost, each null for no limit of that kind; both null is no rule. */
@Introspected
record Amounts(@Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {

    static final Amounts NONE = new Amounts(null, null);

    boolean empty() {
        return monthlyTokens == null && monthlyCost == null;
    }
}
