package io.gatehouse.stack.dockerproxy;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The proxy's settings, from the environment.
 *
 * @param bind            {@code DOCKER_PROXY_BIND} (default 0.0.0.0)
 * @param port            {@code DOCKER_PROXY_PORT} (default 2375)
 * @param upstream        {@code DOCKER_PROXY_UPSTREAM} (default unix:///var/run/docker.sock)
 * @param owner           {@code DOCKER_PROXY_OWNER}: the value of the {@code io.gatehouse.owner} label on everything the
 *                        portal may touch (default gatehouse, as the portal's {@code GATEHOUSE_DOCKER_OWNER})
 * @param portalContainer {@code DOCKER_PROXY_PORTAL_CONTAINER}: name or id of the portal's container, which may join and
 *                        leave connector networks (default gatehouse-portal)
 * @param dataNetworks    {@code DOCKER_PROXY_DATA_NETWORKS}: comma-separated names of networks that are not the portal's
 *                        but that a connector container may join to reach its data source (default none)
 */
record ProxySettings(String bind, int port, URI upstream, String owner, String portalContainer, Set<String> dataNetworks) {

    static final String OWNER_LABEL = "io.gatehouse.owner";
    static final String CONNECTOR_PREFIX = "gatehouse-conn-";

    static ProxySettings from(Map<String, String> env) {
        String port = env.getOrDefault("DOCKER_PROXY_PORT", "2375").strip();
        int parsed;
        try {
            parsed = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DOCKER_PROXY_PORT must be a port number, not '" + port + "'");
        }
        String owner = env.getOrDefault("DOCKER_PROXY_OWNER", "gatehouse").strip();
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("DOCKER_PROXY_OWNER must not be empty");
        }
        Set<String> dataNetworks = Arrays.stream(env.getOrDefault("DOCKER_PROXY_DATA_NETWORKS", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new ProxySettings(env.getOrDefault("DOCKER_PROXY_BIND", "0.0.0.0"), parsed,
                URI.create(env.getOrDefault("DOCKER_PROXY_UPSTREAM", "unix:///var/run/docker.sock")), owner,
                env.getOrDefault("DOCKER_PROXY_PORTAL_CONTAINER", "gatehouse-portal").strip(), dataNetworks);
    }
}
