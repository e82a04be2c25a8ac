package io.gatehouse.connector;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Connector runtime settings: GATEHOUSE_CONNECTOR_RUNTIME ({@code process} or {@code docker}),
 * GATEHOUSE_CONNECTOR_JARS (where the process runtime finds {@code <kind>/target/connector-<kind>.jar}),
 * how long a connector may take to become healthy, and how long one tool call may take.
 */
@ConfigurationProperties("gatehouse.connectors")
public record ConnectorSettings(String runtime, Path jarDir, Duration startTimeout, Duration callTimeout) {
}
