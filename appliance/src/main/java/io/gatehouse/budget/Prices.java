package io.gatehouse.budget;

import io.gatehouse.model.AvailableModel;
import java.math.BigDecimal;

/** Cost from the admin's price table: tokens times the model's price per million tokens, input and output apart. */
final class Prices {

    private Prices() {
    }

    static BigDecimal cost(AvailableModel model, long inputTokens, long outputTokens) {
        return perMillion(model.inputPricePerMtok(), inputTokens).add(perMillion(model.outputPricePerMtok(), outputTokens));
    }

    private static BigDecimal perMillion(BigDecimal price, long tokens) {
        return price == null ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }
}
