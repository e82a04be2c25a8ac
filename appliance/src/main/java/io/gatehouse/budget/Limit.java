package io.gatehouse.budget;

import java.math.BigDecimal;

/** One monthly limit that applies to a call: what it counts, in tokens or cost, and how much is allowed. */
record Limit(Counter counter, Measure measure, BigDecimal amount) {

    enum Measure { TOKENS, COST }

    /** A short stable name for audit details: user.tokens, user.model.cost, global.tokens ... */
    String code() {
        return (counter.everyone() ? "global" : "user") + (counter.allModels() ? "" : ".model") + "." + measure.name().toLowerCase();
    }
}
