package io.gatehouse.siem;

import io.gatehouse.secret.SecretBox;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;

/** Builds the collector the stored settings describe; one shared JDK HttpClient for the HTTP transport. */
@Singleton
class Collectors {

    private final HttpClient http;
    private final SecretBox secrets;
    private final OcsfLines lines;
    private final SiemProperties properties;
    private final String hostname;
    private final long procId = ProcessHandle.current().pid();

    Collectors(SecretBox secrets, OcsfLines lines, SiemProperties properties) {
        this.secrets = secrets;
        this.lines = lines;
        this.properties = properties;
        // HTTP/1.1: collectors behind plain http would otherwise be offered an h2c upgrade some do not handle.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? properties.requestTimeout()
                        : Duration.ofSeconds(10)).build();
        this.hostname = properties.hostname() != null && !properties.hostname().isBlank() ? properties.hostname().strip() : localHostname();
    }

    /** Throws when the settings have no destination or the stored Authorization value cannot be opened. */
    Collector of(SiemSettings settings) throws DeliveryException {
        if (!settings.hasDestination()) {
            throw new DeliveryException("No collector is configured: set a " + (settings.transport() == Transport.HTTP ? "URL" : "host and port")
                    + " and save.");
        }
        return switch (settings.transport()) {
            case HTTP -> new HttpCollector(http, settings.url(), authorization(settings), properties.requestTimeout(), lines,
                    settings.destination());
            case SYSLOG_TCP -> new SyslogTcpCollector(settings.host(), settings.port(), properties.requestTimeout(), hostname, procId,
                    lines, settings.destination());
        };
    }

    private String authorization(SiemSettings settings) throws DeliveryException {
        if (settings.authorizationCipher() == null) {
            return null;
        }
        try {
            return secrets.open(settings.authorizationCipher(), SiemSettings.AUTHORIZATION_CONTEXT);
        } catch (SecretBox.SecretUnreadableException e) {
            throw new DeliveryException("The stored Authorization value cannot be decrypted with this portal's master key: enter it again.");
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
