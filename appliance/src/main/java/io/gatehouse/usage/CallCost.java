package io.gatehouse.usage;

import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** What a call cost at the admin's prices (per one million tokens, input and output priced apart). */
final class CallCost {

    /** The scale of {@code model_calls.cost}: a hundred-millionth of the currency unit. */
    static final int SCALE = 8;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private CallCost() {
    }

    static BigDecimal of(AvailableModel model, Usage usage) {
        BigDecimal input = price(model.inputPricePerMtok()).multiply(BigDecimal.valueOf(usage.inputTokens()));
        BigDecimal output = price(model.outputPricePerMtok()).multiply(BigDecimal.valueOf(usage.outputTokens()));
        // Summed before dividing, so the only rounding is the final one.
        return input.add(output).divide(MILLION, SCALE, RoundingMode.HALF_UP);
    }

    private static BigDecimal price(BigDecimal perMillion) {
        return perMillion == null ? BigDecimal.ZERO : perMillion;
    }
}
