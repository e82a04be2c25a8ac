package io.gatehouse.siem;

import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks each SIEM setting an admin sends; a failure is a 400 naming the field and saying what would be accepted. */
final class SiemRules {

    static final int MAX_URL = 2_000;
    static final int MAX_AUTHORIZATION = 4_096;
    static final int MAX_BATCH = 1_000;
    /** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1123), at most 253 characters. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private SiemRules() {
    }

    static Transport transport(@Nullable String value) {
        String names = Arrays.stream(Transport.values()).map(Transport::name).collect(Collectors.joining(" or "));
        if (value == null || value.isBlank()) {
            throw invalid("Choose the transport: " + names + ".", "transport");
        }
        try {
            return Transport.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("Unknown transport '" + printable(value) + "': use " + names + ".", "transport");
        }
    }

    /** An absolute http(s) URL with a host, no user:password part (use the Authorization value) and no fragment. */
    static URI url(@Nullable String value) {
        if (value == null || value.isBlank()) {
            throw invalid("Enter the collector's URL, e.g. https://siem.example.com:8088/services/collector/raw.", "url");
        }
        String text = value.strip();
        if (text.length() > MAX_URL) {
            throw invalid("The URL has " + text.length() + " characters; the limit is " + MAX_URL + ".", "url");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("'" + printable(text) + "' is not a valid URL: " + e.getReason() + ".", "url");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("The URL must start with https:// (or http:// on a trusted network).", "url");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("The URL has no host name: write it as https://host[:port]/path.", "url");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("Do not put a user name or password in the URL: enter the credential as the Authorization value,"
                    + " which is stored encrypted.", "url");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("The URL must not have a #fragment: it is never sent to the collector.", "url");
        }
        return uri;
    }

    /** An IP address or a DNS name; nothing is looked up here. */
    static String host(@Nullable String value) {
        if (value == null || value.isBlank()) {
            throw invalid("Enter the syslog collector's host name or IP address.", "host");
        }
        String host = value.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.contains(":") || host.matches("[0-9.]+")) {
            try {
                return InetAddress.ofLiteral(host).getHostAddress();
            } catch (IllegalArgumentException e) {
                throw invalid("'" + printable(value) + "' is not a host name or IP address (give the port in its own field).", "host");
            }
        }
        if (!HOSTNAME.matcher(host).matches()) {
            throw invalid("'" + printable(value) + "' is not a host name or IP address: use letters, digits, hyphens and dots,"
                    + " e.g. siem.example.com or 10.0.0.5.", "host");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    static int port(@Nullable Integer value) {
        if (value == null) {
            throw invalid("Enter the syslog collector's TCP port (often 601 or 514).", "port");
        }
        if (value < 1 || value > 65_535) {
            throw invalid("The port is " + value + "; it must be between 1 and 65535.", "port");
        }
        return value;
    }

    static int batchSize(@Nullable Integer value) {
        if (value == null) {
            return 100;
        }
        if (value < 1 || value > MAX_BATCH) {
            throw invalid("The batch size is " + value + "; it must be between 1 and " + MAX_BATCH + ".", "batchSize");
        }
        return value;
    }

    /** A header value: visible characters and spaces only (no line breaks that could start another header). */
    static String authorization(String value) {
        String header = value.strip();
        if (header.length() > MAX_AUTHORIZATION) {
            throw invalid("The Authorization value has " + header.length() + " characters; the limit is " + MAX_AUTHORIZATION + ".",
                    "authorization");
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw invalid("The Authorization value may hold only printable ASCII characters and spaces, e.g. 'Bearer abc123'"
                        + " or 'Splunk 1234-abcd'.", "authorization");
            }
        }
        return header;
    }

    /** User input echoed in a message: control characters out, bounded. */
    private static String printable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }

    private static GatehouseException.BadRequest invalid(String message, String field) {
        return new GatehouseException.BadRequest("invalid-siem-settings", message, field);
    }
}
