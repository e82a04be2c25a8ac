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

/**
 * The HTTP exchange every provider shares: send JSON, classify failures into {@link ModelCallException}
 * with a message a person can act on. Provider error bodies are summarised, never echoed in full.
 */
final class ProviderHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private ProviderHttp() {
    }

    /**
     * Sends the request and returns the body of a 2xx answer, guarded so that a provider that goes silent
     * mid-answer for longer than the request timeout is cut off (the client's own timeout stops at the headers).
     */
    static InputStream send(ProviderEndpoint endpoint, HttpRequest request, String providerLabel) {
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
        return StallGuard.watch(response.body(), endpoint.requestTimeout());
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

    static JsonNode readJson(InputStream body, String providerLabel) {
        try (body) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ModelCallException(ModelCallException.Kind.BAD_RESPONSE,
                    providerLabel + " sent a response that is not valid JSON.", e);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
