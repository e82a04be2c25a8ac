package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.Authenticator;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.WebSession;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default (real PostgreSQL + in-process MongoDB under ./data) keeps everything across restarts. */
class EmbeddedRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void accountsModelsTokensAndConversationsSurviveARestart() throws Exception {
        Map<String, String> env = Map.of(
                "GATEHOUSE_DATA_DIR", dataDir.toString(),
                "GATEHOUSE_PORT", "-1",
                "GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", "owner@example.test",
                "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "owner's long passphrase");
        String conversationId;
        String token;
        String totpSecret;
        Instant enrolledAt;
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            try (PortalLauncher.RunningPortal first = PortalLauncher.start(env, Map.of())) {
                Client admin = new Client(first.url());
                assertThat(admin.post("/api/v1/auth/login", "{\"email\":\"owner@example.test\",\"password\":\"owner's long passphrase\"}").statusCode())
                        .isEqualTo(200);
                // Admins set up TOTP at their first sign-in; this portal runs on the real clock.
                totpSecret = WebSession.parse(admin.post("/api/v1/me/mfa/totp/enrolment", "{}").body()).path("secret").asText();
                enrolledAt = Instant.now();
                assertThat(admin.post("/api/v1/me/mfa/totp/confirm", "{\"code\":\"" + Authenticator.code(totpSecret,
                        Authenticator.step(enrolledAt)) + "\"}").statusCode()).isEqualTo(200);
                assertThat(admin.post("/api/v1/admin/providers", "{\"name\":\"Scripted\",\"kind\":\"openai\",\"baseUrl\":\"" + model.baseUrl()
                        + "\",\"apiKey\":\"sk-kept\",\"models\":[{\"name\":\"kept-model\"}]}").statusCode()).isEqualTo(201);
                var chat = admin.post("/api/v1/chat/messages", "{\"message\":\"Remember me\"}");
                assertThat(chat.body()).contains("event: done");
                conversationId = chat.body().replaceAll("(?s).*\"conversationId\":\"([^\"]+)\".*", "$1");
                token = WebSession.parse(admin.post("/api/v1/me/tokens", "{\"name\":\"kept\"}").body()).path("token").asText();
            }
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("master.key")))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

            try (PortalLauncher.RunningPortal second = PortalLauncher.start(env, Map.of())) {
                Client admin = new Client(second.url());
                assertThat(admin.post("/api/v1/auth/login", "{\"email\":\"owner@example.test\",\"password\":\"owner's long passphrase\"}").statusCode())
                        .isEqualTo(200);
                // The sealed TOTP secret still opens with the master key file. Its enrolment code's step is used up; if
                // that step has not passed yet, the next step's code is still inside the accepted window.
                long step = Math.max(Authenticator.step(Instant.now()), Authenticator.step(enrolledAt) + 1);
                assertThat(admin.post("/api/v1/auth/mfa", "{\"code\":\"" + Authenticator.code(totpSecret, step) + "\"}").statusCode())
                        .isEqualTo(200);
                var detail = WebSession.parse(admin.get("/api/v1/conversations/" + conversationId).body());
                assertThat(detail.path("messages")).hasSize(2);
                assertThat(detail.path("messages").get(1).path("text").asText()).isEqualTo("You said: Remember me");
                // The stored, encrypted provider key still opens with the master key file: the model still answers.
                var again = admin.post("/api/v1/chat/messages", "{\"conversationId\":\"" + conversationId + "\",\"message\":\"Still there?\"}");
                assertThat(again.body()).contains("event: done");
                assertThat(model.requests().getLast().path("messages").toString()).contains("You said: Remember me").contains("Still there?");
                assertThat(model.authorizationHeaders().getLast()).isEqualTo("Bearer sk-kept");
                var models = new Client(second.url()).get("/v1/models", "Authorization", "Bearer " + token);
                assertThat(models.body()).contains("kept-model");
            }
        }
    }

    /** A tiny cookie-keeping client against a portal URL. */
    private static final class Client {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        Client(String url) {
            this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        HttpResponse<String> post(String path, String json) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
