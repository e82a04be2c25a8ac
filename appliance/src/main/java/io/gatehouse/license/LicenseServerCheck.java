package io.gatehouse.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The optional online check: POSTs exactly {@code {"licenseId","applianceId","seatsInUse"}} (nothing about people,
 * chats or configuration leaves the host) and reads {@code {"status":"valid"}} or {@code {"status":"revoked",
 * "message":"..."}}. Anything else (no connection, a timeout, 4xx/5xx, an answer it cannot read) is "no answer":
 * only an explicit revocation can make things worse at once.
 */
final class LicenseServerCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_MESSAGE_CHARS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Answer {
        record Valid() implements Answer {
        }

        record Revoked(String message) implements Answer {
        }

        /** {@code error}: a short description for the admin (never the response body). */
        record NoAnswer(String error) implements Answer {
        }
    }

    private final URI url;
    private final HttpClient client;

    LicenseServerCheck(URI url) {
        this.url = url;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static byte[] body(String licenseId, UUID applianceId, long seatsInUse) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("licenseId", licenseId);
        body.put("applianceId", applianceId.toString());
        body.put("seatsInUse", seatsInUse);
        return JSON.writeValueAsBytes(body);
    }

    Answer check(String licenseId, UUID applianceId, long seatsInUse) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(licenseId, applianceId, seatsInUse))).build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return new Answer.NoAnswer("the license server answered HTTP " + response.statusCode());
            }
            JsonNode answer = JSON.readTree(response.body());
            String status = answer == null ? "" : answer.path("status").asText("");
            return switch (status) {
                case "valid" -> new Answer.Valid();
                case "revoked" -> new Answer.Revoked(truncate(answer.path("message").asText("")));
                default -> new Answer.NoAnswer("the license server's answer had no status valid or revoked");
            };
        } catch (IOException e) {
            return new Answer.NoAnswer("the license server could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.NoAnswer("the check was interrupted");
        }
    }

    private static String truncate(String message) {
        String clean = message.strip().replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= MAX_MESSAGE_CHARS ? clean : clean.substring(0, MAX_MESSAGE_CHARS);
    }
}
