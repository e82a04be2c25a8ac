package io.gatehouse.connector.sql;

import static io.gatehouse.connector.sql.SqlConnectorContract.PASSWORD;
import static io.gatehouse.connector.sql.SqlConnectorContract.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged connector as the portal runs it on the embedded default: {@code java -jar connector-sql.jar}
 * as a child process, configured only through its environment, its port read from the ready line.
 */
class SqlConnectorProcessIT {

    private static final String TOKEN = "process-it-token-9d8c7b6a5f4e3d2c";
    private static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "connector-sql.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Readers block until the child closes its streams, so each gets its own thread (not the common pool). */
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startDatabase() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        postgres = PostgresSqlConnectorTest.startShop();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    private static Process launch(Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_") || name.startsWith("SQL_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Map<String, String> environment() {
        return Map.of(
                "GATEHOUSE_CONNECTOR_TOKEN", TOKEN,
                "GATEHOUSE_CONNECTOR_HOST", "127.0.0.1",
                "GATEHOUSE_CONNECTOR_PORT", "0",
                "SQL_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                "SQL_USER", USER,
                "SQL_PASSWORD", PASSWORD);
    }

    @Test
    void childProcessAnnouncesItsPortServesMcpAndLogsNoSecret() throws Exception {
        // given
        Process process = launch(environment());
        List<String> stdout = new ArrayList<>();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.errorReader()), READERS);
        try {
            // when the ready line appears
            int port = awaitReadyLine(process, stdout);

            // then /health answers without a token, /mcp only with it, and the tools work
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"connector\":\"sql\"}");

            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/mcp"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                            .endpoint("/mcp")
                            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
                            .build())
                    .clientInfo(new McpSchema.Implementation("process-it", "1.0.0"))
                    .requestTimeout(Duration.ofSeconds(30))
                    .build();
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactly("list_schemas", "list_tables", "describe_table", "run_query", "execute_statement");
            CallToolResult count = client.callTool(new CallToolRequest("run_query",
                    Map.of("sql", "select count(*) as orders from orders")));
            assertThat(((McpSchema.TextContent) count.content().getFirst()).text())
                    .isEqualTo("{\"columns\":[\"orders\"],\"rows\":[[12]],\"rowCount\":1,\"truncated\":false}");
            client.closeGracefully();
        } finally {
            // when the portal stops it (SIGTERM; Process.destroy() would also close our end of its pipes)
            process.toHandle().destroy();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        stdout.addAll(readAll(process.inputReader()).lines().toList());

        // then nothing it printed contains the token or the database password
        String output = String.join("\n", stdout) + "\n" + stderr.get(10, TimeUnit.SECONDS);
        assertThat(output).contains("Connector sql", "stopped").doesNotContain(TOKEN).doesNotContain(PASSWORD);
    }

    @Test
    void childProcessWithoutATokenExitsWithAMessage() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment());
        env.remove("GATEHOUSE_CONNECTOR_TOKEN");

        Process process = launch(env);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(readAll(process.errorReader())).startsWith("Connector cannot start: GATEHOUSE_CONNECTOR_TOKEN is not set");
        assertThat(readAll(process.inputReader())).isEmpty();
    }

    private static int awaitReadyLine(Process process, List<String> stdout) throws Exception {
        BufferedReader reader = process.inputReader(StandardCharsets.UTF_8);
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    stdout.add(line);
                    if (line.startsWith("GATEHOUSE_CONNECTOR_LISTENING port=")) {
                        return Integer.parseInt(line.substring(line.indexOf('=') + 1));
                    }
                }
                throw new IllegalStateException("stdout ended without the ready line: " + stdout);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, READERS);
        return port.get(60, TimeUnit.SECONDS);
    }

    private static String readAll(BufferedReader reader) {
        try (reader) {
            StringBuilder text = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                text.append(line).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            return "(read failed: " + e + ")";
        }
    }
}
