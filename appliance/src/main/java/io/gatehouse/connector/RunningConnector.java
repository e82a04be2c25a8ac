package io.gatehouse.connector;

import java.net.URI;
import java.util.UUID;

/** A started connector: where its MCP endpoint is, the token it accepts, and the runtime's own handle. */
public record RunningConnector(UUID connectorId, String name, URI mcpEndpoint, String token, Object handle) {

    @Override
    public String toString() {
        return "RunningConnector[" + name + " at " + mcpEndpoint + "]";
    }
}
