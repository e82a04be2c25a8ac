package io.gatehouse.model;

import java.math.BigDecimal;
import java.util.UUID;

/** A model users can pick, with the provider that serves it and its prices. */
public record AvailableModel(String name, UUID providerId, String providerName, String kind,
                             BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok, ModelProvider provider) {
}
