package io.gatehouse.model;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.util.UUID;

/** A model a provider serves, with the admin's prices per one million input/output tokens. */
@MappedEntity("models")
record ModelRecord(@Id UUID id, UUID providerId, String name, BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok) {
}
