package io.gatehouse.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's door into the package-private parts of the connector package (the MCP client session, the two
 * runtimes, a supervised instance's running connector and process). It lives in the bench module under the
 * appliance's package name, which is enough on a plain class path. Nothing here changes what those classes do.
 */
public final class ConnectorBenchSupport {

    private ConnectorBenchSupport() {
    }

    /** An MCP client session of the kind the portal opens to a connector: the same class, transport and settings. */
    public static final class Session implements AutoCloseable {
        private final McpConnection connection;

        private Session(McpConnection connection) {
            this.connection = connection;
        }

        public int listTools() {
            return connection.listTools().size();
        }

        public McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
            return connection.call(tool, arguments);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    public static Session open(RunningConnector running, ObjectMapper json, Duration callTimeout) {
        return new Session(McpConnection.open(running, json, callTimeout));
    }

    /** The running connector behind a supervised instance, once it is RUNNING. */
    public static Optional<RunningConnector> running(ConnectorSupervisor supervisor, String name) {
        return supervisor.byName(name).filter(i -> i.state() == ConnectorSupervisor.State.RUNNING).map(ConnectorSupervisor.Instance::running);
    }

    /** The child process of a connector started by the process runtime. */
    public static ProcessHandle process(RunningConnector running) {
        return ProcessConnectorRuntime.process(running);
    }

    /** The embedded default's runtime (child JVMs on loopback), exactly as the portal builds it. */
    public static ConnectorRuntime processRuntime(ConnectorSettings settings) {
        return new ProcessConnectorRuntime(settings);
    }

    /** The production runtime (one hardened container per connector on its own internal network). */
    public static ConnectorRuntime dockerRuntime(DockerSettings docker, ConnectorSettings settings) {
        return new DockerConnectorRuntime(docker, settings);
    }

    /** Closes the Docker runtime's engine client (the portal's context does this at shutdown). */
    public static void close(ConnectorRuntime runtime) {
        if (runtime instanceof DockerConnectorRuntime docker) {
            try {
                docker.close();
            } catch (IOException ignored) {
                // only the engine client's connection pool
            }
        }
    }

    /** The name DockerConnectorRuntime gives a connector's container (and its network). */
    public static String containerName(RunningConnector running) {
        return "gatehouse-conn-" + running.name() + "-" + running.connectorId().toString().substring(0, 8);
    }

    public static String ownerLabel() {
        return DockerConnectorRuntime.LABEL_OWNER;
    }

    /**
     * The broker's own work around one call, without the MCP round trip: parse the arguments, find the instance and
     * the tool, check it is a read tool, then turn the result into the outcome's text and row count. Mirrors
     * {@link ConnectorBroker#call}; returns the row count so the JIT cannot drop the work.
     */
    public static int brokerBookkeeping(ConnectorSupervisor supervisor, ObjectMapper json, String connector, String tool,
                                        String argumentsJson, McpSchema.CallToolResult result) throws IOException {
        ConnectorSupervisor.Instance instance = supervisor.byName(connector).orElseThrow();
        McpSchema.Tool found = instance.tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow();
        if (!ConnectorBroker.isReadTool(found)) {
            throw new IllegalStateException(tool + " is not a read tool");
        }
        Map<String, Object> arguments = json.readValue(argumentsJson, new TypeReference<Map<String, Object>>() { });
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent t) {
                text.append(t.text());
            }
        }
        var node = result.structuredContent() != null ? json.valueToTree(result.structuredContent()) : json.readTree(text.toString());
        return arguments.size() + text.length() + (node.has("rowCount") ? node.get("rowCount").asInt() : 0);
    }

    /** Tool names of a supervised instance, to check what the portal sees. */
    public static List<String> toolNames(ConnectorSupervisor supervisor, String name) {
        return supervisor.byName(name).map(i -> i.tools().stream().map(McpSchema.Tool::name).toList()).orElse(List.of());
    }
}
