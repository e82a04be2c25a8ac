package io.gatehouse.connector;

import java.util.List;

/**
 * Starts and stops connector instances: local child processes on the embedded default, hardened
 * containers with Docker (later: Kubernetes pods). Selected by {@code gatehouse.connectors.runtime}.
 */
public interface ConnectorRuntime {

    /** Starts the connector and returns once its health endpoint answers; throws with a clear message otherwise. */
    RunningConnector start(ConnectorLaunch launch);

    /** Whether the instance is still running (the supervisor restarts it when not). */
    boolean isAlive(RunningConnector running);

    /** Stops and removes the instance; safe to call twice. */
    void stop(RunningConnector running);

    /** The last lines the instance wrote to its log, for the admin page. */
    List<String> recentLog(RunningConnector running);
}
