package io.gatehouse.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A SIEM collector on loopback: takes {@code POST /ingest}, keeps every request it saw (headers, lines, and the
 * status it answered), and answers 200, or whatever status the test sets with {@link #answer(int)}.
 */
final class HttpCollectorServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as the collector saw it. */
    record Received(int answered, String contentType, String authorization, String body) {

        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String line : body.split("\n")) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("Not a JSON line: " + line, e);
                }
            }
            return events;
        }

        List<Long> seqs() {
            return events().stream().map(e -> Long.parseLong(e.path("metadata").path("uid").asText())).toList();
        }

        boolean accepted() {
            return answered >= 200 && answered < 300;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;

    HttpCollectorServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/ingest", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status = "POST".equals(exchange.getRequestMethod()) ? answer : 405;
                received.add(new Received(status, exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"), body));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    void answer(int status) {
        this.answer = status;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The seqs of every batch the collector acknowledged, in arrival order. */
    List<Long> acceptedSeqs() {
        return received().stream().filter(Received::accepted).flatMap(r -> r.seqs().stream()).toList();
    }

    /** Every accepted event, in arrival order. */
    List<JsonNode> acceptedEvents() {
        return received().stream().filter(Received::accepted).flatMap(r -> r.events().stream()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
