package io.gatehouse.connector.sdk;

import java.util.List;

/** Creates a connector's tool groups from its configuration; called once at start. */
@FunctionalInterface
public interface ConnectorSetup {

    List<ToolGroup> create(ConnectorContext context) throws Exception;
}
