package io.gatehouse.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every model call, chat page or API, leaves a record in model_calls (cost from the admin's price table, SHA-256 of
 * the exact bytes exchanged with the model server) and a model.call audit row that names it; when that audit row
 * cannot be written the answer never reaches the person.
 */
class ModelCallRecordsTest {

    private static final String MODEL = "priced-model";
    private static final BigDecimal INPUT_PRICE = new BigDecimal("2.5");
    private static final BigDecimal OUTPUT_PRICE = new BigDecimal("10");

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static String adminId;
    static String apiAuthorization;

    @BeforeAll
    static void start() throws SQLException {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        Map<String, Object> form = new HashMap<>();
        form.put("name", "Scripted");
        form.put("kind", "openai");
        form.put("baseUrl", model.baseUrl());
        form.put("apiKey", "");
        form.put("models", List.of(Map.of("name", MODEL, "inputPricePerMtok", INPUT_PRICE, "outputPricePerMtok", OUTPUT_PRICE)));
        HttpResponse<String> created = admin.postJson("/api/v1/admin/providers", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        portal.addDemoConnector(admin, "demo");
        String token = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "usage test")).body()).path("token").asText();
        apiAuthorization = "Bearer " + token;
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from users where email = '" + TestPortal.ADMIN_EMAIL + "'")) {
            rs.next();
            adminId = rs.getString(1);
        }
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aStreamedChatPageCallIsRecordedWithItsCostAndTheFingerprintsOfTheExactBytes() throws Exception {
        model.enqueue(ScriptedModelServer.text("The answer ", "is ", "forty-two."));
        int before = model.exchanges().size();

        WebSession.SseResult chat = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "What is six times seven?", "model", MODEL));

        assertThat(chat.named("done")).as(chat.raw()).hasSize(1);
        String conversation = chat.named("conversation").getFirst().json().path("conversationId").asText();
        ScriptedModelServer.RawExchange exchange = model.exchanges().get(before);
        Map<String, Object> record = recordFor(exchange);
        assertThat(record.get("output_sha256")).isEqualTo(sha256(exchange.response()));
        assertThat(record).containsEntry("user_id", adminId).containsEntry("user_email", TestPortal.ADMIN_EMAIL)
                .containsEntry("conversation_id", conversation).containsEntry("channel", "CHAT")
                .containsEntry("provider", "Scripted").containsEntry("model", MODEL).containsEntry("outcome", "SUCCESS")
                .containsEntry("usage_reported", true).containsEntry("error", null);
        // The scripted server reports its usage in the stream's last chunk; the record keeps exactly that.
        JsonNode usage = lastUsage(exchange.response());
        assertThat(record.get("input_tokens")).isEqualTo(usage.path("prompt_tokens").asInt());
        assertThat(record.get("output_tokens")).isEqualTo(3);
        assertThat((BigDecimal) record.get("cost")).isEqualByComparingTo(cost(usage.path("prompt_tokens").asInt(), 3));
        assertThat((Integer) record.get("latency_ms")).isNotNegative();
        assertThat(record.get("started_at").toString()).startsWith("2026-11-25");
        assertAuditRowNames(record);
    }

    @Test
    void aNonStreamedApiCallIsRecordedAsApiWithTheFingerprintsOfTheExactBytes() throws Exception {
        model.enqueue(ScriptedModelServer.text("Forty", "-two."));
        int before = model.exchanges().size();

        HttpResponse<String> response = portal.browser().postJson("/v1/chat/completions", Map.of("model", MODEL,
                "messages", List.of(Map.of("role", "user", "content", "Six times seven?"))), "Authorization", apiAuthorization);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ScriptedModelServer.RawExchange exchange = model.exchanges().get(before);
        assertThat(WebSession.parse(new String(exchange.request(), StandardCharsets.UTF_8)).path("stream").asBoolean()).isFalse();
        Map<String, Object> record = recordFor(exchange);
        assertThat(record.get("output_sha256")).isEqualTo(sha256(exchange.response()));
        JsonNode upstreamUsage = WebSession.parse(new String(exchange.response(), StandardCharsets.UTF_8)).path("usage");
        assertThat(record).containsEntry("channel", "API").containsEntry("conversation_id", null).containsEntry("outcome", "SUCCESS")
                .containsEntry("input_tokens", upstreamUsage.path("prompt_tokens").asInt()).containsEntry("output_tokens", 2);
        assertThat((BigDecimal) record.get("cost")).isEqualByComparingTo(cost(upstreamUsage.path("prompt_tokens").asInt(), 2));
        assertAuditRowNames(record);
    }

    @Test
    void aStreamedApiCallIsRecordedWithTheFingerprintsOfTheExactBytes() throws Exception {
        model.enqueue(ScriptedModelServer.text("One, ", "two."));
        int before = model.exchanges().size();

        WebSession.SseResult stream = portal.browser().postForEvents("/v1/chat/completions", Map.of("model", MODEL, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "Count to two"))), "Authorization", apiAuthorization);

        assertThat(stream.raw()).contains("[DONE]");
        ScriptedModelServer.RawExchange exchange = model.exchanges().get(before);
        Map<String, Object> record = recordFor(exchange);
        assertThat(record.get("output_sha256")).isEqualTo(sha256(exchange.response()));
        assertThat(record).containsEntry("channel", "API").containsEntry("outcome", "SUCCESS").containsEntry("output_tokens", 2);
    }

    @Test
    void everyToolRoundIsARecordOfItsOwn() throws Exception {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) from customers\"}"),
                ScriptedModelServer.text("There are ", "many customers."));
        int before = model.exchanges().size();

        WebSession.SseResult chat = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How many customers?", "model", MODEL));

        assertThat(chat.named("tool")).as(chat.raw()).hasSize(1);
        assertThat(chat.named("done")).hasSize(1);
        String conversation = chat.named("conversation").getFirst().json().path("conversationId").asText();
        List<ScriptedModelServer.RawExchange> rounds = model.exchanges().subList(before, model.exchanges().size());
        assertThat(rounds).hasSize(2);
        Map<String, Object> toolRound = recordFor(rounds.get(0));
        Map<String, Object> answerRound = recordFor(rounds.get(1));
        assertThat(toolRound.get("output_sha256")).isEqualTo(sha256(rounds.get(0).response()));
        assertThat(answerRound.get("output_sha256")).isEqualTo(sha256(rounds.get(1).response()));
        assertThat(toolRound.get("id")).isNotEqualTo(answerRound.get("id"));
        // The scripted server reports no usage with a streamed tool call: the portal estimates it and prices the estimate.
        assertThat(toolRound).containsEntry("outcome", "SUCCESS").containsEntry("usage_reported", false).containsEntry("output_tokens", 0);
        assertThat((BigDecimal) toolRound.get("cost")).isEqualByComparingTo(cost((Integer) toolRound.get("input_tokens"), 0));
        assertThat(answerRound).containsEntry("outcome", "SUCCESS").containsEntry("usage_reported", true).containsEntry("output_tokens", 2);
        assertThat(records("select * from model_calls where conversation_id = ?", conversation)).hasSize(2);
        assertAuditRowNames(toolRound);
        assertAuditRowNames(answerRound);
    }

    @Test
    void aCallTheModelServerFailsIsRecordedAsAFailure() throws Exception {
        model.enqueue(ScriptedModelServer.failure(500, "The model server fell over"));

        WebSession.SseResult chat = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Are you there?", "model", MODEL));

        assertThat(chat.named("error")).as(chat.raw()).hasSize(1);
        String conversation = chat.named("conversation").getFirst().json().path("conversationId").asText();
        Map<String, Object> record = awaitOne("select * from model_calls where conversation_id = ?", conversation);
        assertThat(record).containsEntry("outcome", "FAILURE").containsEntry("usage_reported", false).containsEntry("output_tokens", 0);
        assertThat((String) record.get("error")).contains("HTTP 500").contains("The model server fell over");
        // What was sent is still fingerprinted; nothing was read as an answer.
        assertThat(record.get("request_sha256")).isEqualTo(sha256(model.exchanges().getLast().request()));
        assertThat(record.get("output_sha256")).isNull();
        // Nothing was reported, so the input is estimated, and priced like any other.
        assertThat((Integer) record.get("input_tokens")).isPositive();
        assertThat((BigDecimal) record.get("cost")).isEqualByComparingTo(cost((Integer) record.get("input_tokens"), 0));
        assertAuditRowNames(record);
    }

    @Test
    void whenTheAuditRowCannotBeWrittenTheAnswerIsWithheld() throws Exception {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        model.enqueue(ScriptedModelServer.text("Launch codes: ", "0000."), ScriptedModelServer.text("Launch codes: ", "1111."));
        int before = model.exchanges().size();
        WebSession.SseResult chat;
        HttpResponse<String> api;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                chat = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Tell me a secret", "model", MODEL));
                api = portal.browser().postJson("/v1/chat/completions", Map.of("model", MODEL,
                        "messages", List.of(Map.of("role", "user", "content", "Tell me another"))), "Authorization", apiAuthorization);
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }

        // The model was asked (the audit row commits while it works) but none of its answer was delivered.
        assertThat(model.exchanges().size() - before).isEqualTo(2);
        assertThat(chat.named("delta")).as(chat.raw()).isEmpty();
        assertThat(chat.named("done")).isEmpty();
        assertThat(chat.named("error").getFirst().json().path("message").asText()).contains("audit record (model.call)");
        assertThat(chat.raw()).doesNotContain("Launch codes");
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(api.body()).contains("audit").doesNotContain("Launch codes");
        // The call still happened, so it is still recorded: a failure, with no audit row to point to.
        String conversation = chat.named("conversation").getFirst().json().path("conversationId").asText();
        Map<String, Object> record = awaitOne("select * from model_calls where conversation_id = ?", conversation);
        assertThat(record).containsEntry("outcome", "FAILURE").containsEntry("audit_seq", null);
        assertThat((String) record.get("error")).contains("audit");
    }

    // --- helpers ---

    /** The record whose request fingerprint is the SHA-256 of exactly the bytes the model server received. */
    private static Map<String, Object> recordFor(ScriptedModelServer.RawExchange exchange) throws Exception {
        return awaitOne("select * from model_calls where request_sha256 = ?", (Object) sha256(exchange.request()));
    }

    private static Map<String, Object> awaitOne(String sql, Object... args) {
        List<List<Map<String, Object>>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<Map<String, Object>> rows = records(sql, args);
            found.clear();
            found.add(rows);
            return !rows.isEmpty();
        });
        assertThat(found.getFirst()).hasSize(1);
        return found.getFirst().getFirst();
    }

    private static List<Map<String, Object>> records(String sql, Object... args) throws SQLException {
        try (Connection c = portal.sql(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnName(i), value instanceof UUID u ? u.toString() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** The record's audit row is a model.call by the same person, naming the record, its model and channel. */
    private static void assertAuditRowNames(Map<String, Object> record) throws SQLException {
        assertThat(record.get("audit_seq")).isNotNull();
        List<Map<String, Object>> rows = records("select actor_id, action, target_type, target_id, details::jsonb ->> 'record' as record,"
                + " details::jsonb ->> 'model' as model, details::jsonb ->> 'provider' as provider, details::jsonb ->> 'channel' as channel,"
                + " details::jsonb ->> 'conversation' as conversation from audit_events where seq = ?", record.get("audit_seq"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst()).containsEntry("actor_id", record.get("user_id")).containsEntry("action", "model.call")
                .containsEntry("target_type", "model_call").containsEntry("target_id", record.get("id"))
                .containsEntry("record", record.get("id")).containsEntry("model", MODEL).containsEntry("provider", "Scripted")
                .containsEntry("channel", record.get("channel")).containsEntry("conversation", record.get("conversation_id"));
    }

    private static BigDecimal cost(int in, int out) {
        return INPUT_PRICE.multiply(BigDecimal.valueOf(in)).add(OUTPUT_PRICE.multiply(BigDecimal.valueOf(out)))
                .divide(BigDecimal.valueOf(1_000_000));
    }

    /** The usage object of the last SSE chunk that has one. */
    private static JsonNode lastUsage(byte[] sse) {
        JsonNode usage = null;
        for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = WebSession.parse(line.substring("data: ".length()));
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
            }
        }
        assertThat(usage).as("usage chunk").isNotNull();
        return usage;
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
