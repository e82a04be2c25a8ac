package io.gatehouse.model;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** Where and how to reach one provider: its base URL, decrypted API key (if any), and shared HTTP client. */
public record ProviderEndpoint(URI baseUrl, @Nullable String apiKey, HttpClient http, Duration requestTimeout) {

    /** Base URL joined with a path, tolerant of a trailing slash in what the admin typed. */
    public URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    @Override
    public String toString() {
        return "ProviderEndpoint[" + baseUrl + "]"; // never print the key
    }
}
