package io.gatehouse.connector.sdk;

import com.sun.net.httpserver.HttpExchange;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MCP streamable HTTP (server side) on the JDK's HTTP server, driving the SDK's own session and protocol
 * machinery ({@link McpStreamableServerSession}).
 *
 * <p>Why not the SDK's servlet transport: its session registry is private (no way to count or evict
 * sessions from outside) and every response holds a servlet {@code AsyncContext} open, which is where its
 * reported CLOSE-WAIT and session leaks come from. Here each POST is answered on the request's own virtual
 * thread and the exchange is always closed when the call returns, so a client that disconnects mid-call
 * costs nothing once its handler ends; sessions idle longer than the timeout are closed by
 * {@link #evictIdleSessions()}.
 *
 * <p>Deliberate limits: no standalone GET stream (405, which the spec allows and clients handle), because
 * connectors never push server-initiated messages and an open GET per session is what would keep idle
 * sessions alive forever; no resumption ({@code Last-Event-ID}). A request is answered with a single
 * {@code application/json} body unless the handler emits notifications first, in which case the
 * response becomes an SSE stream.
 */
final class StreamableHttpTransport implements McpStreamableServerTransportProvider {

    private static final Logger log = LoggerFactory.getLogger(StreamableHttpTransport.class);

    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    static final int MAX_SESSIONS = 1_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> PROTOCOL_VERSIONS = List.of(ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private final McpJsonMapper json;
    private final Clock clock;
    private final Duration idleTimeout;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile boolean closing;

    StreamableHttpTransport(McpJsonMapper json, Clock clock, Duration idleTimeout) {
        this.json = json;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** One MCP session with what eviction needs to know about it. */
    private static final class Session {
        final McpStreamableServerSession mcp;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile Instant lastActive;

        Session(McpStreamableServerSession mcp, Instant now) {
            this.mcp = mcp;
            this.lastActive = now;
        }

        boolean idleFor(Duration timeout, Instant now) {
            return inFlight.get() == 0 && !lastActive.plus(timeout).isAfter(now);
        }
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }

    int sessionCount() {
        return sessions.size();
    }

    int inFlightCount() {
        return sessions.values().stream().mapToInt(session -> session.inFlight.get()).sum();
    }

    /** Handles one request to the MCP endpoint; authentication has already been checked. */
    void handle(HttpExchange exchange) throws IOException {
        if (closing) {
            sendError(exchange, 503, ErrorCodes.INTERNAL_ERROR, "The connector is shutting down");
            return;
        }
        switch (exchange.getRequestMethod()) {
            case "POST" -> post(exchange);
            case "DELETE" -> delete(exchange);
            default -> {
                exchange.getResponseHeaders().set("Allow", "POST, DELETE");
                sendError(exchange, 405, ErrorCodes.INVALID_REQUEST,
                        "This connector has no server-initiated stream; use POST for requests and DELETE to end a session");
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        String contentType = header(exchange, HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            sendError(exchange, 415, ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json");
            return;
        }
        String accept = header(exchange, HttpHeaders.ACCEPT);
        if (!accepts(accept, "application/json") || !accepts(accept, "text/event-stream")) {
            sendError(exchange, 400, ErrorCodes.INVALID_REQUEST,
                    "The Accept header must list application/json and text/event-stream");
            return;
        }
        byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            sendError(exchange, 413, ErrorCodes.INVALID_REQUEST,
                    "The request body is larger than " + MAX_REQUEST_BYTES + " bytes");
            return;
        }
        JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            sendError(exchange, 400, ErrorCodes.PARSE_ERROR, "The body is not a JSON-RPC message");
            return;
        }
        if (message instanceof JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(exchange, request);
            return;
        }
        String protocolVersion = header(exchange, HttpHeaders.PROTOCOL_VERSION);
        if (protocolVersion != null && !PROTOCOL_VERSIONS.contains(protocolVersion)) {
            sendError(exchange, 400, ErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version "
                    + protocolVersion + "; this connector speaks " + String.join(", ", PROTOCOL_VERSIONS));
            return;
        }
        String sessionId = header(exchange, HttpHeaders.MCP_SESSION_ID);
        if (sessionId == null || sessionId.isBlank()) {
            sendError(exchange, 400, ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header is required after initialize");
            return;
        }
        Session session = begin(sessionId);
        if (session == null) {
            sendError(exchange, 404, ErrorCodes.INVALID_REQUEST, "Unknown or expired MCP session; initialize a new one");
            return;
        }
        try {
            switch (message) {
                case JSONRPCRequest request -> respond(exchange, session, request);
                case JSONRPCNotification notification -> {
                    session.mcp.accept(notification).contextWrite(this::withTransportContext).block();
                    exchange.sendResponseHeaders(202, -1);
                }
                case JSONRPCResponse response -> {
                    session.mcp.accept(response).contextWrite(this::withTransportContext).block();
                    exchange.sendResponseHeaders(202, -1);
                }
                default -> sendError(exchange, 400, ErrorCodes.INVALID_REQUEST, "Unknown JSON-RPC message type");
            }
        } finally {
            session.lastActive = clock.instant();
            session.inFlight.decrementAndGet();
        }
    }

    /** Marks a session busy, or returns null if it is unknown or was evicted in the meantime. */
    private Session begin(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            return null;
        }
        session.inFlight.incrementAndGet();
        session.lastActive = clock.instant();
        if (sessions.get(sessionId) != session) {
            session.inFlight.decrementAndGet();
            return null;
        }
        return session;
    }

    private void initialize(HttpExchange exchange, JSONRPCRequest request) throws IOException {
        if (sessions.size() >= MAX_SESSIONS && evictIdleSessions() == 0 && sessions.size() >= MAX_SESSIONS) {
            sendError(exchange, 503, ErrorCodes.INTERNAL_ERROR, "Too many open MCP sessions; close unused ones");
            return;
        }
        McpSchema.InitializeRequest initializeRequest;
        try {
            initializeRequest = json.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {
            });
        } catch (IllegalArgumentException e) {
            sendError(exchange, 400, ErrorCodes.INVALID_PARAMS, "Invalid initialize parameters");
            return;
        }
        McpStreamableServerSession.McpStreamableServerSessionInit init = sessionFactory.startSession(initializeRequest);
        String sessionId = init.session().getId();
        sessions.put(sessionId, new Session(init.session(), clock.instant()));
        byte[] response;
        try {
            McpSchema.InitializeResult result = init.initResult().contextWrite(this::withTransportContext).block();
            response = json.writeValueAsString(JSONRPCResponse.result(request.id(), result))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            sessions.remove(sessionId);
            log.warn("MCP initialize failed: {}", e.getMessage());
            sendError(exchange, 500, ErrorCodes.INTERNAL_ERROR, "Initialize failed");
            return;
        }
        log.debug("MCP session {} opened", shortId(sessionId));
        exchange.getResponseHeaders().set(HttpHeaders.MCP_SESSION_ID, sessionId);
        exchange.getResponseHeaders().set(HttpHeaders.CONTENT_TYPE, "application/json");
        exchange.sendResponseHeaders(200, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
        }
    }

    private void respond(HttpExchange exchange, Session session, JSONRPCRequest request) throws IOException {
        ResponseChannel channel = new ResponseChannel(exchange);
        try {
            session.mcp.responseStream(channel).handle(request).contextWrite(this::withTransportContext).block();
        } catch (RuntimeException e) {
            log.warn("MCP request {} failed: {}", request.method(), e.getMessage());
        }
        if (!channel.headersSent()) {
            // Only if the session was closed under the request (DELETE or shutdown) before it answered.
            sendError(exchange, 503, ErrorCodes.INTERNAL_ERROR, "The session closed before the request was answered");
        }
    }

    private void delete(HttpExchange exchange) throws IOException {
        String sessionId = header(exchange, HttpHeaders.MCP_SESSION_ID);
        if (sessionId == null || sessionId.isBlank()) {
            sendError(exchange, 400, ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header is required");
            return;
        }
        Session session = sessions.remove(sessionId);
        if (session == null) {
            sendError(exchange, 404, ErrorCodes.INVALID_REQUEST, "Unknown or expired MCP session");
            return;
        }
        close(session, "closed by the client");
        exchange.sendResponseHeaders(200, -1);
    }

    /** Closes every session that has had no request in flight for the idle timeout; returns how many. */
    int evictIdleSessions() {
        Instant now = clock.instant();
        int evicted = 0;
        for (Map.Entry<String, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            if (session.idleFor(idleTimeout, now) && sessions.remove(entry.getKey(), session)) {
                close(session, "idle for " + idleTimeout.toSeconds() + " s");
                evicted++;
            }
        }
        if (evicted > 0) {
            log.info("Closed {} idle MCP session(s); {} open", evicted, sessions.size());
        }
        return evicted;
    }

    private void close(Session session, String why) {
        try {
            session.mcp.closeGracefully().block(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("Closing MCP session {} failed: {}", shortId(session.mcp.getId()), e.getMessage());
        }
        log.debug("MCP session {} {}", shortId(session.mcp.getId()), why);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(session -> session.mcp.sendNotification(method, params).onErrorResume(e -> Mono.empty()))
                .then();
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return Mono.defer(() -> {
            Session session = sessions.get(sessionId);
            return session == null ? Mono.empty() : session.mcp.sendNotification(method, params);
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            List.copyOf(sessions.keySet()).forEach(id -> {
                Session session = sessions.remove(id);
                if (session != null) {
                    close(session, "closed at shutdown");
                }
            });
        });
    }

    private reactor.util.context.Context withTransportContext(reactor.util.context.Context context) {
        return context.put(McpTransportContext.KEY, McpTransportContext.EMPTY);
    }

    private void sendError(HttpExchange exchange, int status, int code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", null);
        body.put("error", error);
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set(HttpHeaders.CONTENT_TYPE, "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static boolean accepts(String accept, String mediaType) {
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return lower.contains(mediaType) || lower.contains("*/*");
    }

    private static String shortId(String sessionId) {
        return sessionId.length() > 8 ? sessionId.substring(0, 8) : sessionId;
    }

    /**
     * The answer to one POSTed request: a single JSON body if the response is the first message, an SSE
     * stream if the handler sends notifications or requests before it. Writes run on the request thread;
     * the lock only guards against a session close racing with them.
     */
    private final class ResponseChannel implements McpStreamableServerTransport {
        private final HttpExchange exchange;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean headersSent;
        private boolean streaming;
        private boolean done;

        ResponseChannel(HttpExchange exchange) {
            this.exchange = exchange;
        }

        boolean headersSent() {
            lock.lock();
            try {
                return headersSent;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Mono<Void> sendMessage(JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(JSONRPCMessage message, String eventId) {
            return Mono.fromRunnable(() -> write(message, eventId));
        }

        private void write(JSONRPCMessage message, String eventId) {
            lock.lock();
            try {
                if (done) {
                    return;
                }
                byte[] data = json.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
                if (!headersSent && message instanceof JSONRPCResponse) {
                    exchange.getResponseHeaders().set(HttpHeaders.CONTENT_TYPE, "application/json");
                    headersSent = true;
                    done = true;
                    exchange.sendResponseHeaders(200, data.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(data);
                    }
                    return;
                }
                if (!headersSent) {
                    exchange.getResponseHeaders().set(HttpHeaders.CONTENT_TYPE, "text/event-stream");
                    exchange.getResponseHeaders().set(HttpHeaders.CACHE_CONTROL, "no-cache");
                    headersSent = true;
                    streaming = true;
                    exchange.sendResponseHeaders(200, 0);
                }
                StringBuilder event = new StringBuilder();
                if (eventId != null) {
                    event.append("id: ").append(eventId).append('\n');
                }
                event.append("event: message\ndata: ");
                OutputStream out = exchange.getResponseBody();
                out.write(event.toString().getBytes(StandardCharsets.UTF_8));
                out.write(data);
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // The client went away; the result has nobody to go to. The exchange is closed by the caller.
                done = true;
                log.debug("Client disconnected before the response was written: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (streaming && !done) {
                    exchange.getResponseBody().close();
                }
                done = true;
            } catch (IOException e) {
                log.debug("Closing the response stream failed: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }
}
