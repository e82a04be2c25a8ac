package io.gatehouse.connector.sdk;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a connector: reads its manifest, the shared server settings and its configuration from the
 * environment, creates its tools, checks them against the manifest and serves them over MCP.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Connector.launch(context -> List.of(new MyTools(MyConfig.from(context.config()))));
 * }
 * }</pre>
 */
public final class Connector {

    /** Printed on stdout once the connector accepts requests, so a parent process can read the port. */
    public static final String READY_LINE_PREFIX = "GATEHOUSE_CONNECTOR_LISTENING port=";

    private Connector() {
    }

    /**
     * The {@code main} of a connector: starts it from {@code connector.json} and the process environment,
     * prints the ready line, and stops it on JVM shutdown. Exits with status 2 and a message on stderr if it
     * cannot start.
     */
    public static void launch(ConnectorSetup setup) {
        ConnectorServer server;
        try {
            server = start(ConnectorManifest.load(), setup, System.getenv());
        } catch (ConnectorStartupException e) {
            System.err.println("Connector cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "connector-shutdown"));
        announce(server, System.out);
        if ("stdin".equals(System.getenv(EXIT_WITH_PARENT))) {
            exitWhenStdinCloses();
        }
    }

    /**
     * Set by the portal's process runtime: the child's stdin is a pipe from the portal, so end-of-file means
     * the portal is gone (even killed with SIGKILL, when no shutdown hook runs) and the connector must not linger.
     */
    public static final String EXIT_WITH_PARENT = "GATEHOUSE_CONNECTOR_EXIT_WITH_PARENT";

    private static void exitWhenStdinCloses() {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the portal never writes; anything read is ignored
                }
            } catch (java.io.IOException ignored) {
                // a broken pipe means the same as end-of-file
            }
            System.exit(0);
        });
    }

    static void announce(ConnectorServer server, PrintStream out) {
        out.println(READY_LINE_PREFIX + server.port());
        out.flush();
    }

    /** Starts a connector in this JVM (tests, embedding); the caller closes it. */
    public static ConnectorServer start(ConnectorManifest manifest, ConnectorSetup setup, Map<String, String> env) {
        return start(manifest, setup, env, Clock.systemUTC());
    }

    static ConnectorServer start(ConnectorManifest manifest, ConnectorSetup setup, Map<String, String> env,
            Clock clock) {
        ServerSettings settings = ServerSettings.fromEnvironment(env);
        ConnectorConfig config = ConnectorConfig.fromEnvironment(manifest.config(), env);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            List<ToolGroup> groups = setup.create(new Context(config, resources));
            List<Tool<?>> tools = groups.stream().flatMap(group -> group.tools().stream()).toList();
            manifest.verifyTools(tools);
            return ConnectorServer.start(manifest, settings, tools, resources, clock);
        } catch (ConnectorStartupException e) {
            ConnectorServer.closeAll(resources);
            throw e;
        } catch (Exception e) {
            ConnectorServer.closeAll(resources);
            throw new ConnectorStartupException("Connector setup failed: " + e.getMessage(), e);
        }
    }

    private record Context(ConnectorConfig config, List<AutoCloseable> resources) implements ConnectorContext {
        @Override
        public <T extends AutoCloseable> T closeOnStop(T resource) {
            resources.add(resource);
            return resource;
        }
    }
}
