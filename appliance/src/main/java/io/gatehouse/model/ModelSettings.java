package io.gatehouse.model;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** Timeouts for model calls: GATEHOUSE_MODEL_TIMEOUT (whole answer, default 120s); connect 10s. */
@ConfigurationProperties("gatehouse.model")
record ModelSettings(Duration requestTimeout, Duration connectTimeout) {
}
