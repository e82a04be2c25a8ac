package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * POSTs a batch as {@code application/x-ndjson} (one OCSF event per line, each ending in a newline) with the
 * configured Authorization header. Only a 2xx answer acknowledges; redirects are not followed, so events go
 * exactly where the admin pointed them.
 */
record HttpCollector(HttpClient http, URI url, @Nullable String authorization, Duration timeout, OcsfLines lines,
                     String destination) implements Collector {

    @Override
    public void send(List<AuditRecord> rows) throws DeliveryException {
        StringBuilder body = new StringBuilder(rows.size() * 512);
        for (AuditRecord row : rows) {
            body.append(lines.line(row)).append('\n');
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("The collector at " + destination + " did not answer within " + timeout.toSeconds() + " s.");
        } catch (IOException e) {
            throw new DeliveryException("Could not reach the collector at " + destination + ": " + reason(e) + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("Interrupted while sending to " + destination + " (the portal is stopping).");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new DeliveryException("The collector at " + destination + " answered HTTP " + status
                    + (status == 401 || status == 403 ? " (check the Authorization value)." : "."));
        }
    }

    /** The JDK's connection failures often carry no message; the exception's name says enough then. */
    static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
