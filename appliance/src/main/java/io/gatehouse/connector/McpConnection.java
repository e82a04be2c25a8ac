package io.gatehouse.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The portal's MCP client session with one running connector (streamable HTTP, the connector's own bearer
 * token on every request). The user's credentials never travel here.
 */
final class McpConnection implements AutoCloseable {

    private final McpSyncClient client;

    private McpConnection(McpSyncClient client) {
        this.client = client;
    }

    static McpConnection open(RunningConnector running, ObjectMapper json, Duration callTimeout) {
        URI endpoint = running.mcpEndpoint();
        String base = endpoint.getScheme() + "://" + endpoint.getAuthority();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint.getPath())
                .jsonMapper(new JacksonMcpJsonMapper(json))
                .connectTimeout(Duration.ofSeconds(5))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + running.token()))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("gatehouse-portal", "0.1.0"))
                .requestTimeout(callTimeout)
                .initializationTimeout(Duration.ofSeconds(10))
                .build();
        client.initialize();
        return new McpConnection(client);
    }

    List<McpSchema.Tool> listTools() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        return tools;
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    @Override
    public void close() {
        client.close(); // not closeGracefully: a dead connector would make it wait and throw
    }
}
