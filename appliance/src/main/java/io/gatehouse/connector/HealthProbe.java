package io.gatehouse.connector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a starting connector's {@code /health} to answer 200, giving up early if the connector dies. */
final class HealthProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long POLL_MILLIS = 50;

    private HealthProbe() {
    }

    /** Until {@code /health} answers 200. */
    static void await(URI health, Duration timeout, BooleanSupplier alive) {
        poll(timeout, alive, "become healthy", () -> HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Until the port accepts a TCP connection (third-party MCP servers have no health endpoint we know). */
    static void awaitPort(String address, int port, Duration timeout, BooleanSupplier alive) {
        poll(timeout, alive, "listen on port " + port, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                return true;
            }
        });
    }

    private interface Check {
        boolean passes() throws IOException, InterruptedException;
    }

    private static void poll(Duration timeout, BooleanSupplier alive, String goal, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    throw new ConnectorStartException("The connector exited before it could " + goal);
                }
                try {
                    if (check.passes()) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // polling a process we do not control; nothing to wait on
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorStartException("Interrupted while waiting for the connector");
        }
        throw new ConnectorStartException("The connector did not " + goal + " within " + timeout.toSeconds() + " s");
    }
}
