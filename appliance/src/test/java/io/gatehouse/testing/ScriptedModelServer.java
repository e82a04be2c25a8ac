package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A real OpenAI-compatible model server over HTTP for tests and the benchmark: {@code POST /v1/chat/completions}
 * (streamed as SSE chunks or whole) and {@code GET /v1/models}. Replies follow a script queued by the test;
 * with nothing queued it echoes the last user message word by word.
 */
public final class ScriptedModelServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server does for one request. */
    public sealed interface Reply {
    }

    /** A normal answer, streamed as these chunks (or joined when the client did not ask for a stream). */
    public record Text(List<String> chunks) implements Reply {
    }

    /** An HTTP error with an OpenAI-style error body. */
    public record Failure(int status, String message) implements Reply {
    }

    /** An answer that asks for a tool call instead of text. */
    public record ToolCall(String name, String argumentsJson) implements Reply {
    }

    /** Waits this long before answering at all (to trigger the portal's timeout). */
    public record Hang(Duration duration) implements Reply {
    }

    /** Streams these chunks, then drops the connection without finishing. */
    public record BreakOff(List<String> chunks) implements Reply {
    }

    public static Reply text(String... chunks) {
        return new Text(Arrays.asList(chunks));
    }

    public static Reply failure(int status, String message) {
        return new Failure(status, message);
    }

    private final HttpServer server;
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<RawExchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile String requiredApiKey;
    private volatile Duration chunkDelay = Duration.ZERO;
    private volatile boolean recordRequests = true;

    private ScriptedModelServer(HttpServer server) {
        this.server = server;
    }

    public static ScriptedModelServer start() {
        return start("127.0.0.1");
    }

    /** Listening on one local address, e.g. the Docker bridge's, for a portal that runs in a container. */
    public static ScriptedModelServer start(String bindAddress) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 1024);
            ScriptedModelServer scripted = new ScriptedModelServer(server);
            server.createContext("/v1/chat/completions", scripted::completions);
            server.createContext("/v1/models", scripted::models);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return scripted;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base URL as an admin would type it, including {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void enqueue(Reply... replies) {
        script.addAll(Arrays.asList(replies));
    }

    public void requireApiKey(String key) {
        this.requiredApiKey = key;
    }

    /** Pause between two chunks of a streamed answer. */
    public void chunkDelay(Duration delay) {
        this.chunkDelay = delay;
    }

    /** The benchmark turns recording off so memory stays flat. */
    public void recordRequests(boolean record) {
        this.recordRequests = record;
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> authorizationHeaders() {
        return List.copyOf(authorizations);
    }

    /**
     * The exact bytes of one completion request as received and of its response body as written (an error body too),
     * for checking fingerprints. The response grows while it is written; every byte is in it before the client can
     * have read it.
     */
    public record RawExchange(byte[] request, ByteArrayOutputStream responseBytes) {

        public byte[] response() {
            return responseBytes.toByteArray();
        }
    }

    /** Every completion exchange so far, oldest first (while requests are recorded). */
    public List<RawExchange> exchanges() {
        return List.copyOf(exchanges);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.putArray("data").addObject().put("id", "scripted-model").put("object", "model").put("owned_by", "tests");
        respond(exchange, 200, body.toString());
    }

    private void completions(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("Method not allowed"));
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode request = JSON.readTree(raw);
            if (recordRequests) {
                requests.add(request);
                authorizations.add(auth == null ? "" : auth);
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                exchanges.add(new RawExchange(raw, sent));
                OutputStream body = exchange.getResponseBody();
                // Every byte of the response body passes through here on its way out, chunked framing aside.
                exchange.setStreams(null, new FilterOutputStream(body) {
                    @Override
                    public void write(int b) throws IOException {
                        sent.write(b);
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        sent.write(bytes, offset, length);
                        out.write(bytes, offset, length);
                    }
                });
            }
            if (requiredApiKey != null && !("Bearer " + requiredApiKey).equals(auth)) {
                respond(exchange, 401, error("Incorrect API key provided."));
                return;
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = echo(request);
            }
            boolean stream = request.path("stream").asBoolean(false);
            String model = request.path("model").asText();
            switch (reply) {
                case Failure f -> respond(exchange, f.status(), error(f.message()));
                case Hang h -> {
                    LockSupport.parkNanos(h.duration().toNanos());
                    respondText(exchange, request, model, List.of("late"), stream);
                }
                case Text t -> respondText(exchange, request, model, t.chunks(), stream);
                case BreakOff b -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    for (String chunk : b.chunks()) {
                        writeEvent(out, chunk(model, chunk, null).toString());
                    }
                    // Closing the exchange without [DONE] and without the last chunk: an abrupt end.
                }
                case ToolCall c -> respondToolCall(exchange, model, c, stream);
            }
        }
    }

    private static Reply echo(JsonNode request) {
        JsonNode messages = request.path("messages");
        String last = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                last = m.path("content").asText();
            }
        }
        List<String> chunks = new ArrayList<>();
        for (String word : ("You said: " + last).split("(?<= )")) {
            chunks.add(word);
        }
        return new Text(chunks);
    }

    private void respondText(HttpExchange exchange, JsonNode request, String model, List<String> chunks, boolean stream) throws IOException {
        int promptTokens = 0;
        for (JsonNode m : request.path("messages")) {
            promptTokens += Math.ceilDiv(m.path("content").asText().length(), 4);
        }
        int completionTokens = chunks.size();
        if (!stream) {
            ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion")
                    .put("created", 1).put("model", model);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", String.join("", chunks));
            choice.put("finish_reason", "stop");
            usage(body, promptTokens, completionTokens);
            respond(exchange, 200, body.toString());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        boolean first = true;
        for (String c : chunks) {
            // The delay sits between chunks: the first goes out at once, as real servers send headers and a first token.
            if (!first && !chunkDelay.isZero()) {
                LockSupport.parkNanos(chunkDelay.toNanos());
            }
            first = false;
            writeEvent(out, chunk(model, c, null).toString());
        }
        writeEvent(out, chunk(model, null, "stop").toString());
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk")
                    .put("created", 1).put("model", model);
            usage.putArray("choices");
            usage(usage, promptTokens, completionTokens);
            writeEvent(out, usage.toString());
        }
        writeEvent(out, "[DONE]");
    }

    private void respondToolCall(HttpExchange exchange, String model, ToolCall call, boolean stream) throws IOException {
        ObjectNode toolCall = JSON.createObjectNode().put("id", "call_1").put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        if (!stream) {
            ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion")
                    .put("created", 1).put("model", model);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            message.putNull("content");
            message.putArray("tool_calls").add(toolCall);
            choice.put("finish_reason", "tool_calls");
            usage(body, 10, 5);
            respond(exchange, 200, body.toString());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ArrayNode calls = choice.putObject("delta").putArray("tool_calls");
        calls.add(toolCall.put("index", 0));
        choice.putNull("finish_reason");
        writeEvent(out, chunk.toString());
        writeEvent(out, chunk(model, null, "tool_calls").toString());
        writeEvent(out, "[DONE]");
    }

    private static ObjectNode chunk(String model, String content, String finish) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private static void usage(ObjectNode node, int prompt, int completion) {
        node.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    private static String error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error");
        return body.toString();
    }

    private static void writeEvent(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
