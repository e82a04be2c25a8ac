package io.gatehouse.connector;

import java.io.IOException;
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

    static void await(URI health, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new ConnectorStartException("The connector exited before it became healthy");
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorStartException("Interrupted while waiting for the connector");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // polling a process we do not control; nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorStartException("Interrupted while waiting for the connector");
            }
        }
        throw new ConnectorStartException("The connector did not become healthy within " + timeout.toSeconds() + " s");
    }
}
