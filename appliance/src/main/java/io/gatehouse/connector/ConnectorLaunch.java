package io.gatehouse.connector;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a runtime needs to start one connector: its identity, its kind (which image or jar), the
 * environment it is configured with (secrets included: passed at start, never written anywhere), and the
 * bearer token the portal will present on every MCP request, and the networks where its data sources live
 * (Docker only: joined besides the connector's own internal network).
 */
public record ConnectorLaunch(UUID connectorId, String name, String kind, Map<String, String> environment, String token,
                              List<String> dataNetworks, @Nullable ExternalImage external) {

    public ConnectorLaunch(UUID connectorId, String name, String kind, Map<String, String> environment, String token) {
        this(connectorId, name, kind, environment, token, List.of(), null);
    }

    /** A bring-your-own MCP server: the pinned image id, and the port and path of its streamable HTTP endpoint. */
    public record ExternalImage(String imageId, int port, String path) {
    }

    @Override
    public String toString() {
        return "ConnectorLaunch[" + name + " (" + kind + ")]"; // never print the environment or the token
    }
}
