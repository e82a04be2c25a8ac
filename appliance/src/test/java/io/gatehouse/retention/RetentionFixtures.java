package io.gatehouse.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.chat.Conversation;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.chat.StoredMessage;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the retention tests do over and over: people, conversations, model-call records, periods, audit rows. */
final class RetentionFixtures {

    static final String PASSWORD = "a long and unusual passphrase";

    private RetentionFixtures() {
    }

    static UUID member(TestPortal portal, String email) {
        return portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
    }

    /** A conversation of {@code userId} with {@code questions} question/answer pairs, written at the portal clock's now. */
    static Conversation conversation(TestPortal portal, UUID userId, String title, int questions) {
        ConversationStore store = portal.bean(ConversationStore.class);
        Conversation c = store.create(userId, title, "gpt-test");
        for (int i = 0; i < questions; i++) {
            store.append(c, "user", title + " question " + i, null, 0, 0, StoredMessage.COMPLETE, null);
            store.append(c, "assistant", title + " answer " + i, "gpt-test", 12, 34, StoredMessage.COMPLETE, null,
                    List.of(new StoredMessage.ToolStep("demo", "run_query", "{\"sql\":\"select 1\"}", false, 15, 1)));
        }
        return c;
    }

    static boolean exists(TestPortal portal, Conversation c) {
        return portal.bean(ConversationStore.class).find(c.userId(), c.id()).isPresent();
    }

    static int messagesOf(TestPortal portal, Conversation c) {
        return portal.bean(ConversationStore.class).messages(c).size();
    }

    /** A model-call record, as the meter writes them, started at {@code startedAt}. */
    static UUID modelCall(TestPortal portal, UUID userId, Conversation conversation, Instant startedAt) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = portal.sql(); PreparedStatement insert = c.prepareStatement("""
                insert into model_calls (id, started_at, user_id, user_email, conversation_id, channel, provider, model, input_tokens,
                    output_tokens, usage_reported, cost, latency_ms, outcome) values (?, ?, ?, 'someone@example.test', ?, 'CHAT',
                    'scripted', 'gpt-test', 10, 20, true, 0.001, 120, 'SUCCESS')""")) {
            insert.setObject(1, id);
            insert.setObject(2, startedAt.atOffset(ZoneOffset.UTC));
            insert.setObject(3, userId);
            if (conversation == null) {
                insert.setNull(4, Types.VARCHAR);
            } else {
                insert.setString(4, conversation.id().toString());
            }
            insert.executeUpdate();
        }
        return id;
    }

    static boolean modelCallExists(TestPortal portal, UUID id) throws SQLException {
        try (Connection c = portal.sql(); PreparedStatement q = c.prepareStatement("select count(*) from model_calls where id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    static HttpResponse<String> setPeriods(WebSession admin, Integer chatDays, Integer modelCallDays, Integer auditDays) {
        Map<String, Object> body = new HashMap<>();
        body.put("chatDays", chatDays);
        body.put("modelCallDays", modelCallDays);
        body.put("auditDays", auditDays);
        return admin.putJson("/api/v1/admin/retention", body);
    }

    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return WebSession.parse(response.body());
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(WebSession.parse(response.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
    }

    static HttpResponse<String> placeHold(WebSession admin, String scope, String user, String conversationId, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("scope", scope);
        body.put("user", user);
        body.put("conversationId", conversationId);
        body.put("reason", reason);
        return admin.postJson("/api/v1/admin/legal-holds", body);
    }

    static HttpResponse<String> releaseHold(WebSession admin, String id, String reason) {
        return admin.postJson("/api/v1/admin/legal-holds/" + id + "/release", Map.of("reason", reason));
    }

    /** One audit row as the tests look at it. */
    record Row(long seq, String actorEmail, String action, String outcome, String targetType, String targetId, JsonNode details) {
    }

    static List<Row> audit(TestPortal portal, String action) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = portal.sql(); PreparedStatement q = c.prepareStatement("select seq, actor_email, action, outcome, target_type,"
                + " target_id, details from audit_events where action = ? order by seq")) {
            q.setString(1, action);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            WebSession.parse(rs.getString(7))));
                }
            }
        }
        return rows;
    }

    static Row lastAudit(TestPortal portal, String action) throws SQLException {
        List<Row> rows = audit(portal, action);
        assertThat(rows).as("audit rows " + action).isNotEmpty();
        return rows.getLast();
    }
}
