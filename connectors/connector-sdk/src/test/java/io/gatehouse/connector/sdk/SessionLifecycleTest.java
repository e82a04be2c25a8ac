package io.gatehouse.connector.sdk;

import static io.gatehouse.connector.sdk.TestConnectors.TOKEN;
import static io.gatehouse.connector.sdk.TestConnectors.environment;
import static io.gatehouse.connector.sdk.TestConnectors.openSession;
import static io.gatehouse.connector.sdk.TestConnectors.post;
import static io.gatehouse.connector.sdk.TestConnectors.toolCallBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions end: on DELETE, after the idle timeout, and without leaking when a client vanishes mid-call. */
class SessionLifecycleTest {

    private EchoConnector echo;
    private ConnectorServer server;

    @AfterEach
    void stopConnector() {
        if (echo != null) {
            echo.release.countDown();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(MutableClock clock, String... env) {
        ConnectorSetup setup = context -> List.of(echo = new EchoConnector(context.config()));
        server = clock == null
                ? Connector.start(ConnectorManifest.load(), setup, environment(env))
                : Connector.start(ConnectorManifest.load(), setup, environment(env), clock);
    }

    @Test
    void sessionIsClosedOnceIdleForTheConfiguredTimeout() throws Exception {
        // given a 10 minute idle timeout and a session that did one call
        MutableClock clock = new MutableClock();
        start(clock, ServerSettings.SESSION_IDLE_SECONDS, "600");
        String sessionId = openSession(server);
        assertThat(call(sessionId).statusCode()).isEqualTo(200);

        // when 9 minutes pass, then the session stays
        clock.advance(Duration.ofMinutes(9));
        assertThat(server.evictIdleSessions()).isZero();
        assertThat(server.openSessions()).isEqualTo(1);

        // when another minute passes, it is closed and no longer accepted
        clock.advance(Duration.ofMinutes(1));
        assertThat(server.evictIdleSessions()).isEqualTo(1);
        assertThat(server.openSessions()).isZero();
        assertThat(call(sessionId).statusCode()).isEqualTo(404);
    }

    @Test
    void everyRequestRestartsTheIdleTimeout() throws Exception {
        // given
        MutableClock clock = new MutableClock();
        start(clock, ServerSettings.SESSION_IDLE_SECONDS, "600");
        String sessionId = openSession(server);

        // when the session is used every 8 minutes for half an hour
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(8));
            assertThat(call(sessionId).statusCode()).isEqualTo(200);
            server.evictIdleSessions();
        }

        // then it is still open
        assertThat(server.openSessions()).isEqualTo(1);
    }

    @Test
    void sessionWithACallInFlightIsNeverEvicted() throws Exception {
        // given a call that blocks in its handler
        MutableClock clock = new MutableClock();
        start(clock, ServerSettings.SESSION_IDLE_SECONDS, "600");
        String sessionId = openSession(server);
        CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return post(server, toolCallBody(2, "wait_for_release", "{}"), "Authorization", "Bearer " + TOKEN,
                        "Mcp-Session-Id", sessionId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(echo.entered.await(10, TimeUnit.SECONDS)).isTrue();

        // when an hour passes during the call
        clock.advance(Duration.ofHours(1));

        // then the session is kept; the timeout counts from the end of the call
        assertThat(server.evictIdleSessions()).isZero();
        echo.release.countDown();
        assertThat(blocked.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 0);
        assertThat(server.evictIdleSessions()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(server.evictIdleSessions()).isEqualTo(1);
    }

    @Test
    void clientsThatNeverCloseTheirSessionDoNotLeakThem() {
        // given a 1 s idle timeout and clients that call once and are then abandoned
        start(null, ServerSettings.SESSION_IDLE_SECONDS, "1");
        List<McpSyncClient> abandoned = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            McpSyncClient client = TestConnectors.client(server);
            client.callTool(new CallToolRequest("echo", Map.of("text", "hello")));
            abandoned.add(client);
        }
        assertThat(server.openSessions()).isEqualTo(3);

        // then the evictor closes all of them
        await().atMost(Duration.ofSeconds(15)).until(() -> server.openSessions() == 0);
        assertThat(abandoned).hasSize(3);
    }

    @Test
    void clientThatDisconnectsMidCallLeavesNoSocketRequestOrSessionBehind() throws Exception {
        // given a session and a raw connection whose call blocks in the handler
        start(null, ServerSettings.SESSION_IDLE_SECONDS, "1");
        String sessionId = openSession(server);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            byte[] body = toolCallBody(9, "wait_for_release", "{}").getBytes(StandardCharsets.UTF_8);
            String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"
                    + "\r\nMcp-Session-Id: " + sessionId + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertThat(echo.entered.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // the client is gone: the server's side of the connection waits for the handler (CLOSE-WAIT)
        await().atMost(Duration.ofSeconds(5)).until(() -> closeWaitSockets(server.port()) > 0);
        assertThat(server.requestsInFlight()).isEqualTo(1);

        // when the handler finishes
        echo.release.countDown();

        // then the request ends, the connection is closed and the idle session is evicted
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> closeWaitSockets(server.port()) == 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> server.openSessions() == 0);
    }

    /** Calls a tool and waits until the server has finished the request, so its idle time starts now. */
    private HttpResponse<String> call(String sessionId) throws Exception {
        HttpResponse<String> response = post(server, toolCallBody(2, "echo", "{\"text\":\"x\"}"),
                "Authorization", "Bearer " + TOKEN, "Mcp-Session-Id", sessionId);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 0);
        return response;
    }

    /** Server-side sockets on this port in TCP state CLOSE_WAIT (08), from the kernel's tables. */
    static long closeWaitSockets(int port) throws IOException {
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                String local = fields[1];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                if (localPort == port && fields[3].equals("08")) {
                    count++;
                }
            }
        }
        return count;
    }
}
