package io.gatehouse.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A browser that goes away mid-answer stops the model call; what arrived so far is kept. */
class ClientDisconnectTest {

    static ScriptedModelServer model;
    static TestPortal portal;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        portal.addProvider(portal.admin(), "Scripted", model.baseUrl(), "", "scripted-model");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void closingTheStreamCancelsTheTurnAndStoresThePartialAnswer() throws Exception {
        List<String> chunks = Collections.nCopies(40, "word ");
        model.enqueue(new ScriptedModelServer.Text(chunks));
        model.chunkDelay(Duration.ofMillis(200));
        WebSession admin = portal.admin();
        String cookie = admin.cookies().getCookieStore().getCookies().getFirst().getValue();
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/chat/messages"))
                .header("Content-Type", "application/json").header("Cookie", "gh_session=" + cookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Tell me a long story\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String conversationId;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            String id = null;
            int deltas = 0;
            while ((line = reader.readLine()) != null && deltas < 2) {
                if (line.startsWith("data:") && line.contains("conversationId")) {
                    id = WebSession.parse(line.substring(5)).path("conversationId").asText();
                }
                if (line.equals("event: delta")) {
                    deltas++;
                }
            }
            conversationId = id;
        } finally {
            http.shutdownNow();
            model.chunkDelay(Duration.ZERO);
        }

        await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            List<Document> stored = portal.mongo().getCollection("messages").find(Filters.eq("conversationId", conversationId))
                    .sort(new Document("createdAt", 1)).into(new ArrayList<>());
            assertThat(stored).hasSize(2);
            Document answer = stored.get(1);
            assertThat(answer.getString("status")).isEqualTo("error");
            assertThat(answer.getString("error")).contains("cancelled");
            assertThat(answer.getString("text")).startsWith("word word ").hasSizeLessThan(String.join("", chunks).length());
        });
    }
}
