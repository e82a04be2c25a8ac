package io.gatehouse.connector;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The Docker runtime: engine address (GATEHOUSE_DOCKER_HOST, a unix socket or the restricted socket proxy),
 * connector image naming, per-container limits, the label value that marks what this installation owns,
 * and, when the portal itself runs in a container, its container name so it can join each connector network.
 */
@ConfigurationProperties("gatehouse.connectors.docker")
public record DockerSettings(String host, String imagePrefix, String imageTag, long memoryMb, double cpus, long pids,
                             String owner, @Nullable String portalContainer) {
}
