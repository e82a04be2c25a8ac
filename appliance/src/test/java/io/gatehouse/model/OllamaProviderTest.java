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

class OllamaProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY_KEY = "proxy-token-SECRET-42";

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
    void streamsNdjsonChunksInOrderAndReportsUsage() {
        CountDownLatch firstDeltaSeen = new CountDownLatch(1);
        AtomicBoolean deliveredBeforeRestWasSent = new AtomicBoolean();
        reply = exchange -> {
            OutputStream out = startNdjson(exchange);
            send(out, chunk("Hello"));
            deliveredBeforeRestWasSent.set(await(firstDeltaSeen));
            send(out, chunk(", "));
            send(out, chunk("world"));
            send(out, """
                    {"model":"llama3.2","created_at":"2025-01-01T00:00:02Z","message":{"role":"assistant","content":""},\
                    "done_reason":"stop","done":true,"total_duration":4883583458,"load_duration":1334875,\
                    "prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":3,"eval_duration":4535599000}
                    """);
        };
        List<String> deltas = new CopyOnWriteArrayList<>();

        ModelResult result = provider(null).stream(request(null, null), text -> {
            deltas.add(text);
            firstDeltaSeen.countDown();
        });

        assertThat(deltas).containsExactly("Hello", ", ", "world");
        assertThat(deliveredBeforeRestWasSent).as("first chunk reached the observer while the stream was still open").isTrue();
        assertThat(result.text()).isEqualTo("Hello, world");
        assertThat(result.usage()).isEqualTo(new Usage(26, 3, true));
        assertThat(result.finishReason()).isEqualTo("stop");
    }

    @Test
    void sendsAllMessagesAndOnlyTheOptionsThatAreSet() {
        reply = exchange -> json(exchange, 200, chatResponse("stop"));
        ModelRequest request = new ModelRequest("llama3.2", List.of(
                new ChatMessage(ChatMessage.SYSTEM, "You are terse."),
                new ChatMessage(ChatMessage.USER, "Hi"),
                new ChatMessage(ChatMessage.ASSISTANT, "Hello."),
                new ChatMessage(ChatMessage.USER, "Say hello")), 128, null);

        provider(null, "/").complete(request);

        assertThat(received).hasSize(1);
        Received sent = received.getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.headers()).containsEntry("content-type", "application/json").doesNotContainKey("authorization");
        JsonNode body = sent.body();
        assertThat(body.path("model").asText()).isEqualTo("llama3.2");
        assertThat(body.path("stream").isBoolean()).isTrue();
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("system", "user", "assistant", "user");
        assertThat(body.path("messages").findValuesAsText("content")).containsExactly("You are terse.", "Hi", "Hello.", "Say hello");
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(128);
        assertThat(body.path("options").has("temperature")).isFalse();
    }

    @Test
    void leavesOutOptionsEntirelyAndSendsTheProxyKeyWhenOneIsSet() {
        reply = exchange -> {
            OutputStream out = startNdjson(exchange);
            send(out, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                    + "\"prompt_eval_count\":1,\"eval_count\":1}\n");
        };

        provider(PROXY_KEY).stream(request(null, null), text -> { });

        Received sent = received.getFirst();
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + PROXY_KEY);
        assertThat(sent.body().path("stream").asBoolean()).isTrue();
        assertThat(sent.body().has("options")).isFalse();
    }

    @Test
    void returnsTheWholeAnswerWhenNotStreaming() {
        reply = exchange -> json(exchange, 200, chatResponse("length"));

        ModelResult result = provider(null).complete(request(200, 0.3));

        assertThat(result.text()).isEqualTo("Hello! How are you today?");
        assertThat(result.usage()).isEqualTo(new Usage(26, 298, true));
        assertThat(result.finishReason()).isEqualTo("length");
        assertThat(received.getFirst().body().path("options").path("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void estimatesUsageWhenOllamaReportsNoPromptCount() {
        // Older Ollama versions omit prompt_eval_count when the whole prompt came from the cache.
        reply = exchange -> json(exchange, 200, """
                {"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"12345678"},\
                "done":true,"done_reason":"stop","eval_count":2}""");

        ModelResult result = provider(null).complete(request(null, null));

        assertThat(result.usage().reported()).isFalse();
        assertThat(result.usage().outputTokens()).isEqualTo(2);
    }

    @Test
    void rejectedKeyIsReportedWithoutRevealingTheKey() {
        reply = exchange -> json(exchange, 401, "{\"error\":\"unauthorized: bad token " + PROXY_KEY + "\"}");

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(PROXY_KEY).complete(request(null, null)));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.PROVIDER_REJECTED_KEY);
        assertThat(failure.getMessage()).contains("Ollama").doesNotContain(PROXY_KEY);
    }

    @Test
    void unknownModelIsReportedWithOllamasExplanation() {
        reply = exchange -> json(exchange, 404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}");

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(null).stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UPSTREAM_ERROR);
        assertThat(failure.getMessage()).contains("not found, try pulling it first");
    }

    @Test
    void errorLineInTheStreamFailsTheCall() {
        List<String> deltas = new CopyOnWriteArrayList<>();
        reply = exchange -> {
            OutputStream out = startNdjson(exchange);
            send(out, chunk("Partial"));
            send(out, "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n");
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(null).stream(request(null, null), deltas::add));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UPSTREAM_ERROR);
        assertThat(failure.getMessage()).contains("unexpected EOF");
        assertThat(deltas).containsExactly("Partial");
    }

    @Test
    void streamThatEndsWithoutTheDoneLineIsReportedAsBrokenOff() {
        reply = exchange -> {
            OutputStream out = startNdjson(exchange);
            send(out, chunk("Half an ans"));
        };

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider(null).stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UPSTREAM_ERROR);
    }

    @Test
    void closedPortIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModelProvider provider = new OllamaProviderFactory().create(
                new ProviderEndpoint(URI.create("http://127.0.0.1:" + closedPort), null, http, Duration.ofSeconds(5)));

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> provider.stream(request(null, null), text -> { }));

        assertThat(failure.kind()).isEqualTo(ModelCallException.Kind.UNREACHABLE);
    }

    // --- the fake Ollama server ---

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
            if (!"/api/chat".equals(exchange.getRequestURI().getPath())) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                byte[] notFound = "404 page not found".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, notFound.length);
                exchange.getResponseBody().write(notFound);
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
        return new OllamaProviderFactory().create(new ProviderEndpoint(URI.create(base), key, http, Duration.ofSeconds(5)));
    }

    private static ModelRequest request(Integer maxTokens, Double temperature) {
        return new ModelRequest("llama3.2", List.of(new ChatMessage(ChatMessage.USER, "Say hello")), maxTokens, temperature);
    }

    private static String chatResponse(String doneReason) {
        return """
                {"model":"llama3.2","created_at":"2025-01-01T00:00:00Z",\
                "message":{"role":"assistant","content":"Hello! How are you today?"},\
                "done_reason":"%s","done":true,"total_duration":5191566416,"load_duration":2154458,\
                "prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}""".formatted(doneReason);
    }

    private static String chunk(String content) {
        return "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\",\"content\":"
                + JSON.valueToTree(content) + "},\"done\":false}\n";
    }

    private static OutputStream startNdjson(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
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
