package io.gatehouse.connector.sdk;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running connector: the JDK HTTP server with {@code GET /health} (no authentication) and the MCP
 * endpoint {@code /mcp} (bearer token on every request), the MCP server with the connector's tools, and
 * the idle-session evictor. Requests run on virtual threads, so a tool that blocks on I/O holds no
 * platform thread and never stalls another call.
 */
public final class ConnectorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectorServer.class);

    public static final String MCP_PATH = "/mcp";
    public static final String HEALTH_PATH = "/health";

    static {
        // The JDK server leaves Nagle's algorithm on; with delayed ACKs that adds ~40 ms to small
        // responses written in two parts (headers, body). Read once when the server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ConnectorManifest manifest;
    private final ServerSettings settings;
    private final ObjectMapper mapper;
    private final StreamableHttpTransport transport;
    private final McpSyncServer mcp;
    private final HttpServer http;
    private final ExecutorService requests;
    private final ScheduledExecutorService evictor;
    private final List<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ConnectorServer(ConnectorManifest manifest, ServerSettings settings, List<Tool<?>> tools,
            List<AutoCloseable> resources, Clock clock) {
        this.manifest = manifest;
        this.settings = settings;
        this.resources = resources;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // Decimal values (money) keep their scale: 4150.00 stays 4150.00, never 4.15E+3.
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
        JacksonMcpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
        this.transport = new StreamableHttpTransport(jsonMapper, clock, settings.sessionIdleTimeout());
        List<SyncToolSpecification> specifications = new ArrayList<>();
        tools.forEach(tool -> specifications.add(ToolBinding.specification(tool, mapper)));
        try {
            this.mcp = McpServer.sync(transport)
                    .serverInfo(manifest.id(), manifest.version())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .jsonMapper(jsonMapper)
                    .jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
                    // Run tool handlers on the calling thread, which is the request's virtual thread,
                    // instead of Reactor's bounded elastic pool of platform threads.
                    .immediateExecution(true)
                    .tools(specifications)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConnectorStartupException("The MCP server refused the tool declarations: " + e.getMessage(), e);
        }
        this.requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("connector-request-", 0).factory());
        try {
            this.http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        } catch (IOException e) {
            mcp.close();
            requests.shutdownNow();
            throw new ConnectorStartupException(
                    "Cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        http.setExecutor(requests);
        http.createContext("/", this::route);
        this.evictor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mcp-session-evictor").factory());
        long period = evictionPeriod(settings.sessionIdleTimeout()).toMillis();
        evictor.scheduleWithFixedDelay(this::evictIdleSessions, period, period, TimeUnit.MILLISECONDS);
    }

    static ConnectorServer start(ConnectorManifest manifest, ServerSettings settings, List<Tool<?>> tools,
            List<AutoCloseable> resources, Clock clock) {
        ConnectorServer server = new ConnectorServer(manifest, settings, tools, resources, clock);
        server.http.start();
        log.info("Connector {} {} serving {} tool(s) at http://{}:{}{}", manifest.id(), manifest.version(),
                tools.size(), settings.host(), server.port(), MCP_PATH);
        return server;
    }

    /** Checks a few times per idle period, so a session lives at most about 1.25 times the timeout. */
    private static Duration evictionPeriod(Duration idleTimeout) {
        Duration quarter = idleTimeout.dividedBy(4);
        if (quarter.compareTo(Duration.ofMillis(100)) < 0) {
            return Duration.ofMillis(100);
        }
        return quarter.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : quarter;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String connectorId() {
        return manifest.id();
    }

    /** MCP sessions currently open (initialized and neither deleted nor evicted). */
    public int openSessions() {
        return transport.sessionCount();
    }

    /** Tool calls and other MCP requests currently being handled. */
    public int requestsInFlight() {
        return transport.inFlightCount();
    }

    int evictIdleSessions() {
        try {
            return transport.evictIdleSessions();
        } catch (RuntimeException e) {
            log.warn("Evicting idle MCP sessions failed", e);
            return 0;
        }
    }

    private void route(HttpExchange exchange) {
        try {
            switch (exchange.getRequestURI().getPath()) {
                case HEALTH_PATH -> health(exchange);
                case MCP_PATH -> mcp(exchange);
                default -> sendJson(exchange, 404, problem("not_found", "Nothing here; MCP is served at " + MCP_PATH));
            }
        } catch (Exception e) {
            log.warn("Request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.toString());
        } finally {
            exchange.close();
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            sendJson(exchange, 405, problem("method_not_allowed", "Use GET " + HEALTH_PATH));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("connector", manifest.id());
        sendJson(exchange, 200, body);
    }

    private void mcp(HttpExchange exchange) throws IOException {
        if (!settings.token().matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"gatehouse-connector\"");
            sendJson(exchange, 401, problem("unauthorized",
                    "A valid bearer token is required: send the token the portal issued for this connector"));
            return;
        }
        if (exchange.getRequestHeaders().containsKey("Origin")) {
            // Only the portal calls connectors, server to server; a browser (DNS rebinding, a page on the
            // internal network) always sends Origin.
            sendJson(exchange, 403, problem("forbidden", "Requests from browsers are not accepted"));
            return;
        }
        transport.handle(exchange);
    }

    private static Map<String, Object> problem(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return body;
    }

    private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving, closes every MCP session and the connector's resources. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        evictor.shutdownNow();
        try {
            mcp.closeGracefully();
        } catch (RuntimeException e) {
            log.debug("Closing the MCP server failed: {}", e.getMessage());
        }
        http.stop(0);
        requests.shutdownNow();
        closeAll(resources);
        log.info("Connector {} stopped", manifest.id());
    }

    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
