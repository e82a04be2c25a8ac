package io.gatehouse.budget;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the budget tests do over and over: make people, set budgets, ask the model, read audit rows. */
final class BudgetFixtures {

    static final String PASSWORD = "a long and unusual passphrase";
    static final UUID ANALYST = UUID.fromString("00000000-0000-0000-0000-00000000a003");

    private BudgetFixtures() {
    }

    /** A person signed in, holding these roles (the built-in Analyst role lets them use every model). */
    record Person(UUID id, String email, WebSession session, String token) {
    }

    static Person person(TestPortal portal, WebSession admin, String email, UUID... roles) {
        UUID id = portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
        List<UUID> roleIds = roles.length == 0 ? List.of(ANALYST) : List.of(roles);
        HttpResponse<String> assigned = admin.putJson("/api/v1/admin/users/" + id + "/roles", Map.of("roleIds", roleIds));
        if (assigned.statusCode() != 200) {
            throw new IllegalStateException("Roles not set: " + assigned.statusCode() + " " + assigned.body());
        }
        WebSession session = portal.signedIn(email, PASSWORD);
        String token = WebSession.parse(session.postJson("/api/v1/me/tokens", Map.of("name", "script")).body()).path("token").asText();
        return new Person(id, email, session, token);
    }

    static UUID role(WebSession admin, String name) {
        HttpResponse<String> created = admin.postJson("/api/v1/admin/roles", Map.of("name", name, "description", "test"));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Role not created: " + created.statusCode() + " " + created.body());
        }
        return UUID.fromString(WebSession.parse(created.body()).path("id").asText());
    }

    static HttpResponse<String> putRule(WebSession admin, String scope, String who, String model, Object tokens, Object cost) {
        Map<String, Object> rule = new HashMap<>();
        rule.put("scope", scope);
        if ("USER".equals(scope)) {
            rule.put("email", who);
        } else if ("ROLE".equals(scope)) {
            rule.put("role", who);
        }
        rule.put("model", model);
        rule.put("monthlyTokens", tokens);
        rule.put("monthlyCost", cost);
        return admin.putJson("/api/v1/admin/budgets/rules", rule);
    }

    /** Sets a rule and insists it worked. */
    static void rule(WebSession admin, String scope, String who, String model, Object tokens, Object cost) {
        HttpResponse<String> response = putRule(admin, scope, who, model, tokens, cost);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Budget not set: " + response.statusCode() + " " + response.body());
        }
    }

    static HttpResponse<String> putRate(WebSession admin, String email, Integer perMinute) {
        Map<String, Object> form = new HashMap<>();
        form.put("email", email);
        form.put("requestsPerMinute", perMinute);
        return admin.putJson("/api/v1/admin/budgets/rate-limits", form);
    }

    /** One non-streamed /v1 call with this output cap (null: none). */
    static HttpResponse<String> completion(TestPortal portal, String token, String model, String question, Integer maxTokens) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "user", "content", question)));
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        return portal.browser().postJson("/v1/chat/completions", body, "Authorization", "Bearer " + token);
    }

    static WebSession.SseResult ask(WebSession who, String model, String message) {
        return who.postForEvents("/api/v1/chat/messages", Map.of("message", message, "model", model));
    }

    /** The OpenAI-style error message, or the problem detail. */
    static String detail(HttpResponse<String> response) {
        JsonNode body = WebSession.parse(response.body());
        return body.has("error") ? body.path("error").path("message").asText() : body.path("detail").asText();
    }

    static JsonNode myBudget(Person person) {
        HttpResponse<String> response = person.session().get("/api/v1/me/budget");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No budget view: " + response.statusCode() + " " + response.body());
        }
        return WebSession.parse(response.body());
    }

    record AuditRow(String action, String outcome, UUID actorId, String targetType, String targetId, JsonNode details) {
    }

    /** The audit rows of one action, oldest first. */
    static List<AuditRow> auditRows(TestPortal portal, String action) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (Connection c = portal.sql(); PreparedStatement select = c.prepareStatement(
                "select action, outcome, actor_id, target_type, target_id, details from audit_events where action = ? order by seq")) {
            select.setString(1, action);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new AuditRow(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), WebSession.parse(rs.getString(6))));
                }
            }
        }
        return rows;
    }
}
