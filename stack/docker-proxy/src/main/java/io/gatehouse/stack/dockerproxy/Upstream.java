package io.gatehouse.stack.dockerproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The real Docker engine, through docker-java's HTTP transport (unix socket or tcp). */
final class Upstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerHttpClient client;

    Upstream(URI dockerHost) {
        // No response timeout: a followed log stream may stay open as long as the container runs.
        this.client = new ZerodepDockerHttpClient.Builder().dockerHost(dockerHost).connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(64).build();
    }

    /** Sends a request; the caller closes the response. */
    DockerHttpClient.Response execute(DockerHttpClient.Request.Method method, String pathAndQuery, String contentType, byte[] body) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(pathAndQuery);
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        if (body != null && body.length > 0) {
            request.bodyBytes(body);
        }
        return client.execute(request.build());
    }

    /** An inspect call ({@code GET /containers/{id}/json}, {@code GET /networks/{id}}): status and parsed body. */
    Inspection inspect(String kind, String idOrName) {
        String path = "/" + kind + "/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8).replace("+", "%20")
                + ("containers".equals(kind) ? "/json" : "");
        try (DockerHttpClient.Response response = execute(DockerHttpClient.Request.Method.GET, path, null, null)) {
            byte[] body = response.getBody().readAllBytes();
            JsonNode json = response.getStatusCode() == 200 ? JSON.readTree(body) : null;
            return new Inspection(response.getStatusCode(), body, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the engine answered to an inspect call. */
    record Inspection(int status, byte[] body, JsonNode json) {

        boolean found() {
            return status == 200 && json != null;
        }

        /** The object's labels: containers have them under Config.Labels, networks at the top. */
        String label(String name) {
            JsonNode labels = json.has("Config") ? json.path("Config").path("Labels") : json.path("Labels");
            JsonNode value = labels.get(name);
            return value == null || !value.isTextual() ? null : value.asText();
        }

        String name() {
            String name = json.path("Name").asText("");
            return name.startsWith("/") ? name.substring(1) : name;
        }

        String id() {
            return json.path("Id").asText("");
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
