package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-ant-api03-test-SECRET-key";

    private HttpServer server;
    private ExecutorService serverThreads;
    private HttpClient http;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Reply reply = exchange -> json(exchange, 500, "{}");

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
        http.close();
    }

    @Test
    void streamsTextDeltasInOrderAndReportsUsage() {
        CountDownLatch firstDeltaSeen = new CountDownLatch(1);
        AtomicBoolean deliveredBeforeRestWasSent = new AtomicBoolean();
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, event("message_start", """
                    {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],\
                    "model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}"""));
            send(out, event("content_block_start", """
                    {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
            send(out, event("ping", "{\"type\": \"ping\"}"));
            send(out, textDelta("Hello"));
            deliveredBeforeRestWasSent.set(await(firstDeltaSeen));
            send(out, textDelta(", "));
            send(out, textDelta("world"));
            send(out, event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
            send(out, event("message_delta", """
                    {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"""));
            send(out, event("message_stop", "{\"type\":\"message_stop\"}"));
        };
        List<String> deltas = new CopyOnWriteArrayList<>();

        ModelResult result = provider(KEY).stream(request(null, null), text -> {
            deltas.add(text);
            firstDeltaSeen.countDown();
        });

        assertThat(deltas).containsExactly("Hello", ", ", "world");
        assertThat(deliveredBeforeRestWasSent).as("first delta reached the observer while the stream was still open").isTrue();
        assertThat(result.text()).isEqualTo("Hello, world");
        assertThat(result.usage()).isEqualTo(new Usage(25, 15, true));
        assertThat(result.finishReason()).isEqualTo("stop");
    }

    @Test
    void sendsTheKeyAndVersionHeadersAndMovesSystemMessagesToTheTopLevel() {
        reply = exchange -> json(exchange, 200, messageResponse("end_turn"));
        ModelRequest request = new ModelRequest("claude-sonnet-4-5", List.of(
                new ChatMessage(ChatMessage.SYSTEM, "You are terse."),
                new ChatMessage(ChatMessage.USER, "Hi"),
                new ChatMessage(ChatMessage.ASSISTANT, "Hello."),
                new ChatMessage(ChatMessage.SYSTEM, "Answer in English."),
                new ChatMessage(ChatMessage.USER, "Say hello")), 300, 1.5);

        provider(KEY, "/").complete(request);

        assertThat(received).hasSize(1);
        Received sent = received.getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", KEY)
                .containsEntry("anthropic-version", "2023-06-01")
                .containsEntry("content-type", "application/json")
                .doesNotContainKey("authorization");
        JsonNode body = sent.body();
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.path("system").asText()).isEqualTo("You are terse.\n\nAnswer in English.");
        assertThat(body.path("messages")).hasSize(3);
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("user", "assistant", "user");
        assertThat(body.path("messages").findValuesAsText("content")).containsExactly("Hi", "Hello.", "Say hello");
        assertThat(body.path("temperature").asDouble()).as("clamped to Anthropic's maximum").isEqualTo(1.0);
        assertThat(body.path("stream").asBoolean(true)).isFalse();
    }

    @Test
    void defaultsMaxTokensAndLeavesOutUnsetFieldsWhenStreaming() {
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"));
            send(out, event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}"));
            send(out, event("message_stop", "{\"type\":\"message_stop\"}"));
        };

        provider(KEY).stream(new ModelRequest("claude-haiku-4-5", List.of(new ChatMessage(ChatMessage.USER, "Hi")), null, null), text -> { });

        JsonNode body = received.getFirst().body();
        assertThat(received.getFirst().headers()).containsEntry("accept", "text/event-stream");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("system")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void returnsTheWholeAnswerWhenNotStreaming() {
        reply = exchange -> json(exchange, 200, messageResponse("max_tokens"));

        ModelResult result = provider(KEY).complete(request(100, 0.2));

        assertThat(result.text()).isEqualTo("Hello, world");
        assertThat(result.usage()).isEqualTo(new Usage(12, 4, true));
        assertThat(result.finishReason()).isEqualTo("length");
        assertThat(received.getFirst().body().path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void passesUnknownStopReasonsThroughAndEstimatesMissingUsage() {
        reply = exchange -> json(exchange, 200, """
                {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
                "content":[{"type":"text","text":"12345678"}],"stop_reason":"stop_sequence","stop_sequence":"END"}""");

        ModelResult result = provider(KEY).complete(request(null, null));

        assertThat(result.finishReason()).isEqualTo("stop_sequence");
        assertThat(result.usage().reported()).isFalse();
        assertThat(result.usage().outputTokens()).isEqualTo(2);
    }

    @Test
    void rejectedKeyIsReportedWithoutRevealingTheKey() {
        reply = exchange -> json(exchange, 401, """
                {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key %s"}}""".formatted(KEY));

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(KEY).stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.PROVIDER_REJECTED_KEY);
        assertThat(failure.getMessage()).contains("Anthropic").doesNotContain(KEY);
    }

    @Test
    void overloadedErrorEventInTheStreamIsReportedAsRateLimited() {
        List<String> deltas = new CopyOnWriteArrayList<>();
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"));
            send(out, textDelta("Partial"));
            send(out, event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(KEY).stream(request(null, null), deltas::add));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.RATE_LIMITED);
        assertThat(failure.getMessage()).contains("Overloaded");
        assertThat(deltas).containsExactly("Partial");
    }

    @Test
    void otherErrorEventsInTheStreamAreReportedAsUpstreamErrors() {
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"));
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(KEY).stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UPSTREAM_ERROR);
        assertThat(failure.getMessage()).contains("Internal server error");
    }

    @Test
    void streamThatEndsWithoutMessageStopIsReportedAsBrokenOff() {
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, textDelta("Half an ans"));
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(KEY).stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UPSTREAM_ERROR);
    }

    @Test
    void streamThatEndsAfterTheStopReasonButWithoutMessageStopIsStillComplete() {
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, textDelta("Done"));
            send(out, event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":1}}"));
        };

        ModelResult result = provider(KEY).stream(request(null, null), text -> { });

        assertThat(result.text()).isEqualTo("Done");
        assertThat(result.finishReason()).isEqualTo("length");
        assertThat(result.usage().reported()).as("no message_start, so no input count").isFalse();
    }

    @Test
    void stopsReadingOnceTheObserverIsCancelled() {
        reply = exchange -> {
            OutputStream out = startEventStream(exchange);
            send(out, textDelta("one"));
            send(out, textDelta("two"));
            send(out, event("message_stop", "{\"type\":\"message_stop\"}"));
        };
        List<String> deltas = new CopyOnWriteArrayList<>();
        StreamObserver cancelAfterFirst = new StreamObserver() {
            @Override
            public void onDelta(String text) {
                deltas.add(text);
            }

            @Override
            public boolean cancelled() {
                return !deltas.isEmpty();
            }
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(KEY).stream(request(null, null), cancelAfterFirst));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.CANCELLED);
        assertThat(deltas).containsExactly("one");
    }

    @Test
    void closedPortIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModelProvider provider = new AnthropicProviderFactory().create(
                new ProviderEndpoint(URI.create("http://127.0.0.1:" + closedPort), KEY, http, Duration.ofSeconds(5)));

        ModelCallException failure = catchThrowableOfType(ModelCallException.class, () -> provider.complete(request(null, null)));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UNREACHABLE);
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    // --- the fake Anthropic server ---

    private record Received(String method, String path, Map<String, String> headers, JsonNode body) {
    }

    @FunctionalInterface
    private interface Reply {
        void answer(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    JSON.readTree(exchange.getRequestBody())));
            if (!"/v1/messages".equals(exchange.getRequestURI().getPath())) {
                json(exchange, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
                return;
            }
            reply.answer(exchange);
        } finally {
            exchange.close();
        }
    }

    private ModelProvider provider(String key) {
        return provider(key, "");
    }

    private ModelProvider provider(String key, String trailing) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + trailing;
        return new AnthropicProviderFactory().create(new ProviderEndpoint(URI.create(base), key, http, Duration.ofSeconds(5)));
    }

    private static ModelRequest request(Integer maxTokens, Double temperature) {
        return new ModelRequest("claude-sonnet-4-5", List.of(new ChatMessage(ChatMessage.USER, "Say hello")), maxTokens, temperature);
    }

    private static String messageResponse(String stopReason) {
        return """
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
                "content":[{"type":"text","text":"Hello, "},{"type":"text","text":"world"}],\
                "stop_reason":"%s","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":4}}""".formatted(stopReason);
    }

    private static String textDelta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                + JSON.valueToTree(text) + "}}");
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static OutputStream startEventStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
