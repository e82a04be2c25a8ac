package io.gatehouse.connector.sdk;

import static io.gatehouse.connector.sdk.TestConnectors.TOKEN;
import static io.gatehouse.connector.sdk.TestConnectors.client;
import static io.gatehouse.connector.sdk.TestConnectors.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectorServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EchoConnector echo;
    private ConnectorServer server;

    @BeforeEach
    void startConnector() {
        server = Connector.start(ConnectorManifest.load(), context -> List.of(echo = new EchoConnector(context.config())),
                environment());
    }

    @AfterEach
    void stopConnector() {
        echo.release.countDown();
        server.close();
    }

    @Test
    void toolsListMatchesTheGoldenFileExactly() throws Exception {
        // given
        McpSyncClient client = client(server);

        // when
        List<Tool> tools = client.listTools().tools();

        // then
        JsonNode actual = JSON.valueToTree(Map.of("tools", tools));
        assertThat(actual).isEqualTo(golden("golden/tools-list.json"));
        client.closeGracefully();
    }

    @Test
    void toolCallReturnsJsonTextAndTheSameStructuredContent() throws Exception {
        // given
        McpSyncClient client = client(server);

        // when
        CallToolResult result = client.callTool(new CallToolRequest("echo", Map.of("text", "hi", "times", 2)));

        // then the prefix comes from the manifest's default for ECHO_PREFIX
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("{\"echo\":\"> hi> hi\"}");
        assertThat(result.structuredContent()).isEqualTo(Map.of("echo", "> hi> hi"));
        client.closeGracefully();
    }

    @Test
    void domainFailureComesBackAsAnErrorResultWithItsMessage() {
        // given
        McpSyncClient client = client(server);

        // when
        CallToolResult refused = client.callTool(new CallToolRequest("refuse", Map.of()));
        CallToolResult tooMany = client.callTool(new CallToolRequest("echo", Map.of("text", "x", "times", 4)));

        // then
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo("Refused on purpose; ask for something else.");
        assertThat(tooMany.isError()).isTrue();
        assertThat(text(tooMany)).isEqualTo("At most 3 repetitions; ask for fewer.");
        client.closeGracefully();
    }

    @Test
    void argumentsThatBreakTheInputSchemaAreAnErrorResult() {
        // given
        McpSyncClient client = client(server);

        // when
        CallToolResult missing = client.callTool(new CallToolRequest("echo", Map.of("times", 1)));
        CallToolResult extra = client.callTool(new CallToolRequest("echo", Map.of("text", "x", "colour", "red")));

        // then
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("text");
        assertThat(extra.isError()).isTrue();
        assertThat(text(extra)).contains("colour");
        client.closeGracefully();
    }

    @Test
    void unexpectedFailureIsAJsonRpcErrorThatRevealsNoInternals() {
        // given
        McpSyncClient client = client(server);

        // when / then
        assertThatThrownBy(() -> client.callTool(new CallToolRequest("crash", Map.of())))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("Tool crash failed unexpectedly")
                .hasMessageNotContaining("jdbc:secret");
        client.closeGracefully();
    }

    @Test
    void mcpRequestWithoutTokenIsUnauthorized() throws Exception {
        // when
        HttpResponse<String> response = TestConnectors.post(server, TestConnectors.initializeBody());

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse-connector\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("unauthorized");
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void mcpRequestWithAWrongTokenOrSchemeIsUnauthorized() throws Exception {
        for (String authorization : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ",
                "Basic " + TOKEN, TOKEN)) {
            // when
            HttpResponse<String> response = TestConnectors.post(server, TestConnectors.initializeBody(),
                    "Authorization", authorization);

            // then
            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void everyMcpMethodChecksTheToken() throws Exception {
        // given a real session
        String sessionId = TestConnectors.openSession(server);

        // when it is used without the token
        HttpResponse<String> call = TestConnectors.post(server, TestConnectors.toolCallBody(2, "echo", "{\"text\":\"x\"}"),
                "Mcp-Session-Id", sessionId);
        HttpResponse<String> delete = TestConnectors.send(server, "DELETE", "/mcp", "Mcp-Session-Id", sessionId);
        HttpResponse<String> get = TestConnectors.send(server, "GET", "/mcp", "Mcp-Session-Id", sessionId,
                "Accept", "text/event-stream");

        // then
        assertThat(List.of(call.statusCode(), delete.statusCode(), get.statusCode())).containsOnly(401);
        assertThat(server.openSessions()).isEqualTo(1);
    }

    @Test
    void healthAnswersWithoutAToken() throws Exception {
        // when
        HttpResponse<String> response = TestConnectors.send(server, "GET", "/health");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"UP\",\"connector\":\"echo\"}"));
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        for (String path : List.of("/", "/mcpx", "/mcp/extra", "/healthz")) {
            HttpResponse<String> response = TestConnectors.send(server, "GET", path, "Authorization", "Bearer " + TOKEN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void browserRequestsAreRefusedEvenWithTheToken() throws Exception {
        // when
        HttpResponse<String> response = TestConnectors.post(server, TestConnectors.initializeBody(),
                "Authorization", "Bearer " + TOKEN, "Origin", "http://intranet.example");

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void thereIsNoServerInitiatedStream() throws Exception {
        // given
        String sessionId = TestConnectors.openSession(server);

        // when
        HttpResponse<String> response = TestConnectors.send(server, "GET", "/mcp", "Authorization", "Bearer " + TOKEN,
                "Mcp-Session-Id", sessionId, "Accept", "text/event-stream");

        // then
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, DELETE");
    }

    @Test
    void unknownSessionIsNotFoundSoTheClientStartsANewOne() throws Exception {
        // when
        HttpResponse<String> response = TestConnectors.post(server, TestConnectors.toolCallBody(2, "echo", "{\"text\":\"x\"}"),
                "Authorization", "Bearer " + TOKEN, "Mcp-Session-Id", "no-such-session");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("initialize a new one");
    }

    @Test
    void blockingHandlerDoesNotStallAConcurrentCall() throws Exception {
        // given a call that blocks in its handler
        McpSyncClient client = client(server);
        CompletableFuture<CallToolResult> blocked = CompletableFuture.supplyAsync(
                () -> client.callTool(new CallToolRequest("wait_for_release", Map.of())),
                Executors.newVirtualThreadPerTaskExecutor());
        assertThat(echo.entered.await(10, TimeUnit.SECONDS)).isTrue();

        // when another call goes through the same session and one from another session
        CallToolResult sameSession = client.callTool(new CallToolRequest("echo", Map.of("text", "a")));
        McpSyncClient other = client(server);
        CallToolResult otherSession = other.callTool(new CallToolRequest("echo", Map.of("text", "b")));

        // then both are answered while the first is still blocked
        assertThat(text(sameSession)).isEqualTo("{\"echo\":\"> a\"}");
        assertThat(text(otherSession)).isEqualTo("{\"echo\":\"> b\"}");
        assertThat(blocked).isNotDone();
        echo.release.countDown();
        assertThat(text(blocked.get(10, TimeUnit.SECONDS))).isEqualTo("released");
        client.closeGracefully();
        other.closeGracefully();
    }

    @Test
    void closingTheClientEndsItsSession() {
        // given
        McpSyncClient first = client(server);
        McpSyncClient second = client(server);
        assertThat(server.openSessions()).isEqualTo(2);

        // when
        first.closeGracefully();
        second.closeGracefully();

        // then
        assertThat(server.openSessions()).isZero();
    }

    static String text(CallToolResult result) {
        return ((TextContent) result.content().getFirst()).text();
    }

    static JsonNode golden(String resource) throws Exception {
        try (InputStream in = ConnectorServerTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing golden file " + resource);
            }
            return JSON.readTree(in);
        }
    }
}
