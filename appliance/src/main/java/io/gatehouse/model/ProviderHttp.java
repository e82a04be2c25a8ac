package io.gatehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The HTTP exchange every provider shares: send JSON, classify failures into {@link ModelCallException}
 * with a message a person can act on. Provider error bodies are summarised, never echoed in full.
 *
 * <p>Every call is fingerprinted here, once for all providers: the request body is serialised to bytes by the
 * provider, hashed and sent as those very bytes; the response body is hashed as it is read, so the output
 * fingerprint covers exactly the bytes the portal took in (for a stream, every byte read from it).
 */
final class ProviderHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private ProviderHttp() {
    }

    /** A POST a provider wants to make: its headers (method and body left unset) and the exact body bytes. */
    record Post(HttpRequest.Builder headers, byte[] body) {
    }

    /**
     * A 2xx answer being read: {@link #body()} is the response body (hashed as it is read), {@link #finish} stamps a
     * result with the SHA-256 of the request bytes sent and of every response byte read so far.
     */
    static final class Exchange {
        private final byte[] requestSha256;
        private final MessageDigest responseDigest;
        private final InputStream body;

        private Exchange(byte[] requestSha256, MessageDigest responseDigest, InputStream body) {
            this.requestSha256 = requestSha256;
            this.responseDigest = responseDigest;
            this.body = body;
        }

        InputStream body() {
            return body;
        }

        /** The result with this exchange's fingerprints; call once the provider has read what it is going to read. */
        ModelResult finish(ModelResult result) {
            return result.withFingerprints(new Fingerprints(requestSha256.clone(), responseDigest.digest()));
        }
    }

    /**
     * Sends the body bytes as a POST and returns the 2xx answer, guarded so that a provider that goes silent
     * mid-answer for longer than the request timeout is cut off (the client's own timeout stops at the headers).
     */
    static Exchange send(ProviderEndpoint endpoint, Post post, String providerLabel) {
        byte[] requestSha256 = sha256().digest(post.body());
        try {
            return send(endpoint, post, providerLabel, requestSha256);
        } catch (ModelCallException failed) {
            // The record of a failed call still proves what was sent.
            throw failed.withRequestSha256(requestSha256);
        }
    }

    private static Exchange send(ProviderEndpoint endpoint, Post post, String providerLabel, byte[] requestSha256) {
        HttpRequest request = post.headers().POST(HttpRequest.BodyPublishers.ofByteArray(post.body())).build();
        HttpResponse<InputStream> response;
        try {
            response = endpoint.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ModelCallException(ModelCallException.Kind.UNREACHABLE,
                    providerLabel + " at " + endpoint.baseUrl() + " did not accept the connection in time.", e);
        } catch (HttpTimeoutException e) {
            throw new ModelCallException(ModelCallException.Kind.TIMEOUT,
                    providerLabel + " did not answer within " + endpoint.requestTimeout().toSeconds() + " seconds.", e);
        } catch (ConnectException e) {
            throw new ModelCallException(ModelCallException.Kind.UNREACHABLE,
                    "Cannot reach " + providerLabel + " at " + endpoint.baseUrl() + " (connection refused). Check that the model server is running.", e);
        } catch (IOException e) {
            throw new ModelCallException(ModelCallException.Kind.UNREACHABLE,
                    "The connection to " + providerLabel + " at " + endpoint.baseUrl() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(ModelCallException.Kind.CANCELLED, "The model call was cancelled.", e);
        }
        if (response.statusCode() / 100 != 2) {
            String detail = errorDetail(response);
            throw new ModelCallException(kindOf(response.statusCode()), switch (response.statusCode()) {
                case 401, 403 -> providerLabel + " rejected the API key (HTTP " + response.statusCode() + "). An admin can update it on the Models page.";
                case 404 -> providerLabel + " does not know this model or path (HTTP 404)" + detail + ". Check the base URL and model name on the Models page.";
                case 429 -> providerLabel + " is rate limiting requests (HTTP 429)" + detail + ". Try again shortly.";
                default -> providerLabel + " returned HTTP " + response.statusCode() + detail + ".";
            });
        }
        MessageDigest responseDigest = sha256();
        // The digest sits under the stall guard: it sees every byte the provider's parser pulls through.
        InputStream body = StallGuard.watch(new DigestInputStream(response.body(), responseDigest), endpoint.requestTimeout());
        return new Exchange(requestSha256, responseDigest, body);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** An answer that broke off while being read; a stall cut off by {@link StallGuard} is a timeout. */
    static ModelCallException brokenStream(String providerLabel, IOException e) {
        if (e instanceof StallGuard.StalledException stalled) {
            return new ModelCallException(ModelCallException.Kind.TIMEOUT,
                    providerLabel + " stopped sending for " + stalled.silence().toSeconds() + " seconds in the middle of the answer.", e);
        }
        return new ModelCallException(ModelCallException.Kind.UPSTREAM_ERROR, providerLabel + " broke off the answer: " + e.getMessage(), e);
    }

    static ModelCallException.Kind kindOf(int status) {
        return switch (status) {
            case 401, 403 -> ModelCallException.Kind.PROVIDER_REJECTED_KEY;
            case 408, 504 -> ModelCallException.Kind.TIMEOUT;
            case 429 -> ModelCallException.Kind.RATE_LIMITED;
            default -> ModelCallException.Kind.UPSTREAM_ERROR;
        };
    }

    /** A short, single-line excerpt of the provider's error message, if it sent one. */
    private static String errorDetail(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(4096);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String message = text;
            try {
                JsonNode node = JSON.readTree(text);
                JsonNode error = node.path("error");
                message = error.isTextual() ? error.asText() : error.path("message").asText(node.path("message").asText(""));
            } catch (IOException notJson) {
                // keep the raw excerpt
            }
            message = message.replaceAll("\\s+", " ").strip();
            if (message.isEmpty()) {
                return "";
            }
            return ": " + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The whole body as JSON. Read to its end first: Jackson stops at the closing brace, and the output fingerprint
     * must cover every byte the provider sent, trailing whitespace included.
     */
    static JsonNode readJson(InputStream body, String providerLabel) {
        byte[] bytes;
        try (body) {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw brokenStream(providerLabel, e);
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE,
                    providerLabel + " sent a response that is not valid JSON.", e);
        }
    }

    /** The exact bytes a provider sends (and fingerprints). */
    static byte[] jsonBytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
