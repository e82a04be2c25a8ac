package io.gatehouse.governance.killswitch;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the kill-switch tests do over and over: pull and release switches, make people, ask the model. */
final class KillSwitchFixtures {

    static final String PASSWORD = "a long and unusual passphrase";
    static final UUID MANAGER = UUID.fromString("00000000-0000-0000-0000-00000000a002");
    static final UUID ANALYST = UUID.fromString("00000000-0000-0000-0000-00000000a003");

    private KillSwitchFixtures() {
    }

    static HttpResponse<String> engage(WebSession admin, String scope, String target, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("scope", scope);
        if (target != null) {
            body.put("target", target);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        return admin.postJson("/api/v1/admin/kill-switch/engage", body);
    }

    static HttpResponse<String> release(WebSession admin, String scope, String target) {
        Map<String, Object> body = new HashMap<>();
        body.put("scope", scope);
        if (target != null) {
            body.put("target", target);
        }
        return admin.postJson("/api/v1/admin/kill-switch/release", body);
    }

    /** Engages and insists it worked: a test that meant to pull a switch must not run on without it. */
    static void pull(WebSession admin, String scope, String target) {
        HttpResponse<String> response = engage(admin, scope, target, "test: " + scope + " " + target);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Kill-switch not engaged: " + response.statusCode() + " " + response.body());
        }
    }

    /** Releases whatever is still engaged, so one test's switch never leaks into the next. */
    static void releaseAll(WebSession admin) {
        JsonNode state = WebSession.parse(admin.get("/api/v1/admin/kill-switch").body());
        if (state.path("global").path("engaged").asBoolean()) {
            release(admin, "GLOBAL", null);
        }
        for (JsonNode s : state.path("switches")) {
            release(admin, s.path("scope").asText(), s.path("target").asText());
        }
    }

    static UUID member(TestPortal portal, String email) {
        return portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
    }

    /** A person holding one role (roles grant the models), signed in. */
    static WebSession person(TestPortal portal, WebSession admin, String email, UUID role) {
        UUID id = member(portal, email);
        HttpResponse<String> assigned = admin.putJson("/api/v1/admin/users/" + id + "/roles", Map.of("roleIds", List.of(role)));
        if (assigned.statusCode() != 200) {
            throw new IllegalStateException("Roles not set: " + assigned.statusCode() + " " + assigned.body());
        }
        return portal.signedIn(email, PASSWORD);
    }

    static String token(WebSession session) {
        return WebSession.parse(session.postJson("/api/v1/me/tokens", Map.of("name", "script")).body()).path("token").asText();
    }

    static HttpResponse<String> completion(TestPortal portal, String token, String model, String question) {
        return portal.browser().postJson("/v1/chat/completions",
                Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", question))),
                "Authorization", "Bearer " + token);
    }

    /** The problem+json (or OpenAI error) detail of a refused request. */
    static String detail(HttpResponse<String> response) {
        JsonNode body = WebSession.parse(response.body());
        return body.has("error") ? body.path("error").path("message").asText() : body.path("detail").asText();
    }

    /**
     * An event stream read live on a thread of its own, each event stamped with when it arrived, so a test can
     * act in the middle of an answer and measure how fast the portal reacts.
     */
    static final class LiveStream {
        record Received(String name, String data, long nanos) {
            JsonNode json() {
                return WebSession.parse(data);
            }
        }

        final List<Received> events = new CopyOnWriteArrayList<>();
        volatile int status;
        volatile boolean finished;

        static LiveStream open(String url, Map<String, Object> body, WebSession cookiesOf, String... headers) {
            HttpClient http = HttpClient.newBuilder().cookieHandler(cookiesOf.cookies()).connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(toJson(body)));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            LiveStream stream = new LiveStream();
            Thread.ofVirtual().name("live-stream").start(() -> stream.read(http, request.build()));
            return stream;
        }

        private void read(HttpClient http, HttpRequest request) {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String name = "message";
                    StringBuilder data = null;
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.isEmpty()) {
                            if (data != null) {
                                events.add(new Received(name, data.toString(), System.nanoTime()));
                            }
                            name = "message";
                            data = null;
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        }
                    }
                    if (data != null) {
                        events.add(new Received(name, data.toString(), System.nanoTime()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished = true;
            }
        }

        List<Received> named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }

        Optional<Received> first(java.util.function.Predicate<Received> which) {
            return events.stream().filter(which).findFirst();
        }

        private static String toJson(Object body) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
