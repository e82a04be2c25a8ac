package io.gatehouse.connector.sdk;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starting the echo connector and talking to it, over the SDK's client or raw HTTP. */
final class TestConnectors {

    static final String TOKEN = "test-token-7f3a9c1e5b2d4680";
    static final String API_KEY = "echo-api-key-s3cr3t-value";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestConnectors() {
    }

    static Map<String, String> environment(String... overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(ServerSettings.TOKEN, TOKEN);
        env.put(ServerSettings.HOST, "127.0.0.1");
        env.put(ServerSettings.PORT, "0");
        env.put("ECHO_API_KEY", API_KEY);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return env;
    }

    static McpSyncClient client(ConnectorServer server) {
        return client(server, TOKEN);
    }

    static McpSyncClient client(ConnectorServer server, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + server.port())
                .endpoint(ConnectorServer.MCP_PATH)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("sdk-test", "1.0.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
        client.initialize();
        return client;
    }

    static HttpResponse<String> post(ConnectorServer server, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, ConnectorServer.MCP_PATH))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(ConnectorServer server, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String initializeBody() {
        return """
                {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                  "protocolVersion": "2025-11-25", "capabilities": {},
                  "clientInfo": {"name": "raw-test", "version": "1.0.0"}}}""";
    }

    /** Opens a session over raw HTTP and returns its id. */
    static String openSession(ConnectorServer server) throws Exception {
        HttpResponse<String> response = post(server, initializeBody(), "Authorization", "Bearer " + TOKEN);
        if (response.statusCode() != 200) {
            throw new AssertionError("initialize failed: " + response.statusCode() + " " + response.body());
        }
        String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(server, """
                {"jsonrpc": "2.0", "method": "notifications/initialized"}""",
                "Authorization", "Bearer " + TOKEN, "Mcp-Session-Id", sessionId);
        return sessionId;
    }

    static String toolCallBody(int id, String tool, String argumentsJson) {
        return """
                {"jsonrpc": "2.0", "id": %d, "method": "tools/call", "params": {"name": "%s", "arguments": %s}}"""
                .formatted(id, tool, argumentsJson);
    }

    static URI uri(ConnectorServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
