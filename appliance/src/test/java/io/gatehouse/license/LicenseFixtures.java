package io.gatehouse.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.WebSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.LocalDate;
import java.util.List;

/**
 * License files for portal tests, signed with a key pair made here and trusted through GATEHOUSE_LICENSE_PUBLIC_KEYS
 * (so the portal reports them as signed by a configured key; no test holds a shipped vendor key's private half).
 */
final class LicenseFixtures {

    static final KeyPair VENDOR = LicenseKeys.generate();
    static final KeyPair STRANGER = LicenseKeys.generate();

    private LicenseFixtures() {
    }

    static String trustedKey() {
        return LicenseKeys.encode(VENDOR.getPublic());
    }

    static String file(KeyPair key, String id, int seats, String expires) {
        return new LicenseSigner(key.getPrivate()).sign(new License(id, "Acme GmbH", seats, LocalDate.parse("2026-01-01"),
                LocalDate.parse(expires), 14, List.of("sso"))).toJson();
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode license(WebSession admin) {
        HttpResponse<String> response = admin.get("/api/v1/admin/license");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WebSession.parse(response.body());
    }

    /** The admin banner's text in a page (tags stripped), or "" when the page has none. */
    static String banner(String html) {
        java.util.regex.Matcher banner = java.util.regex.Pattern.compile("<div id=\"license-banner\"[^>]*>(.*?)</div>", java.util.regex.Pattern.DOTALL)
                .matcher(html);
        return banner.find() ? banner.group(1).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip() : "";
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(WebSession.parse(response.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
    }
}
