package io.gatehouse.stack.dockerproxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request: read it, ask the policy, then forward it upstream (streaming the answer) or refuse it. */
final class ProxyHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9]+)(?:\\.([0-9]+))?(/.*)$");
    /** Older API versions change what a call means (e.g. a HostConfig accepted at start); the runtime needs none of them. */
    private static final int OLDEST_MINOR_VERSION = 40;
    /** Nothing the runtime sends is bigger; a larger body is refused rather than buffered. */
    private static final int MAX_BODY = 1024 * 1024;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "keep-alive", "transfer-encoding",
            "upgrade", "proxy-connection", "te", "trailer");

    private final Policy policy;
    private final Upstream upstream;

    ProxyHandler(Policy policy, Upstream upstream) {
        this.policy = policy;
        this.upstream = upstream;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            String path = uri.getPath() == null ? "" : uri.getPath();
            Matcher version = VERSION_PREFIX.matcher(path);
            if (version.matches()) {
                int major = Integer.parseInt(version.group(1));
                int minor = version.group(2) == null ? 0 : Integer.parseInt(version.group(2));
                if (major != 1 || minor < OLDEST_MINOR_VERSION) {
                    refuse(exchange, method, path, "Docker API version " + major + "." + minor + " is not allowed (1." + OLDEST_MINOR_VERSION
                            + " or newer)");
                    return;
                }
                path = version.group(3);
            }
            // The engine cleans "." and ".." segments itself; refusing them keeps what we check what it runs.
            if (path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..") || path.contains("//")) {
                refuse(exchange, method, path, "paths with '.', '..' or empty segments are not allowed");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                refuse(exchange, method, path, "the request body is larger than " + MAX_BODY + " bytes");
                return;
            }
            Decision decision;
            try {
                decision = policy.decide(method, path, query(uri.getRawQuery()), body);
            } catch (RuntimeException e) {
                LOG.warn("upstream unavailable while checking {} {}: {}", method, path, e.getMessage());
                send(exchange, 502, message("the Docker engine did not answer: " + e.getMessage()));
                return;
            }
            switch (decision) {
                case Decision.Refuse refuse -> refuse(exchange, method, path, refuse.why());
                case Decision.Answer answer -> {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    send(exchange, answer.status(), answer.body());
                }
                case Decision.Forward ignored -> forward(exchange, method, rawPath, uri.getRawQuery(), body);
            }
        }
    }

    private void forward(HttpExchange exchange, String method, String rawPath, String rawQuery, byte[] body) throws IOException {
        // docker-java's transport has no HEAD; only /_ping allows it, and a GET of it answers the same headers.
        DockerHttpClient.Request.Method upstreamMethod = DockerHttpClient.Request.Method.valueOf("HEAD".equals(method) ? "GET" : method);
        String target = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        DockerHttpClient.Response response;
        try {
            response = upstream.execute(upstreamMethod, target, exchange.getRequestHeaders().getFirst("Content-Type"), body);
        } catch (RuntimeException e) {
            LOG.warn("upstream unavailable for {} {}: {}", method, rawPath, e.getMessage());
            send(exchange, 502, message("the Docker engine did not answer: " + e.getMessage()));
            return;
        }
        try (response) {
            response.getHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, new ArrayList<>(values));
                }
            });
            int status = response.getStatusCode();
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            // Chunked, flushed as it arrives: a log stream reaches the portal while the container writes it.
            exchange.sendResponseHeaders(status, 0);
            try (InputStream in = response.getBody(); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    private static void refuse(HttpExchange exchange, String method, String path, String why) throws IOException {
        LOG.warn("refused {} {}: {}", method, path, why);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 403, message(why));
    }

    /** The engine's error shape, so docker clients show the reason. */
    static byte[] message(String why) {
        try {
            return JSON.writeValueAsBytes(Map.of("message", "gatehouse docker-proxy: " + why));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
