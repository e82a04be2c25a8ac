package io.gatehouse.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "done when", end to end over HTTP: an admin gives a person a 10,000-token monthly budget, the person
 * chats until it runs out, and the admin finds every call on the usage API and in the audit trail, exports the
 * trail and verifies the chain.
 */
class BudgetToEvidenceJourneyTest {

    private static final String MODEL = "gpt-4o-mini";
    private static final String EMAIL = "riley@example.com";
    private static final String PASSWORD = "a long and unusual passphrase";
    private static final UUID ANALYST = UUID.fromString("00000000-0000-0000-0000-00000000a003");

    private static ScriptedModelServer model;
    private static TestPortal portal;
    private static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "sk-test", MODEL);
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aTenThousandTokenBudgetRunsOutAndEveryCallIsFoundExportedAndVerified() {
        UUID person = portal.bean(UserAccounts.class).createLocal(EMAIL, null, PASSWORD, false).id();
        assertThat(admin.putJson("/api/v1/admin/users/" + person + "/roles", Map.of("roleIds", List.of(ANALYST))).statusCode())
                .isEqualTo(200);
        Map<String, Object> rule = new HashMap<>();
        rule.put("scope", "USER");
        rule.put("email", EMAIL);
        rule.put("model", "*");
        rule.put("monthlyTokens", 10_000);
        rule.put("monthlyCost", null);
        HttpResponse<String> set = admin.putJson("/api/v1/admin/budgets/rules", rule);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        WebSession riley = portal.signedIn(EMAIL, PASSWORD);
        String conversation = null;
        int answered = 0;
        String refusal = null;
        // Each message is ~1,500 tokens and the history grows, so the budget runs out within a few turns.
        for (int turn = 0; turn < 20 && refusal == null; turn++) {
            Map<String, Object> body = new HashMap<>();
            body.put("message", "Summarise this for me please. " + "figures ".repeat(750));
            body.put("model", MODEL);
            if (conversation != null) {
                body.put("conversationId", conversation);
            }
            WebSession.SseResult events = riley.postForEvents("/api/v1/chat/messages", body);
            conversation = events.named("conversation").getFirst().json().path("conversationId").asText();
            if (!events.named("done").isEmpty()) {
                answered++;
            } else {
                refusal = events.named("error").getFirst().json().path("message").asText();
            }
        }
        assertThat(answered).as("turns before the budget ran out").isBetween(2, 10);
        assertThat(refusal).contains("10,000").contains("resets on");
        int callsSent = model.requests().size();
        assertThat(callsSent).as("the refused turn never reached the model").isEqualTo(answered);

        JsonNode mine = WebSession.parse(riley.get("/api/v1/me/budget").body());
        assertThat(mine.path("tokens").path("limit").asLong()).isEqualTo(10_000);
        assertThat(mine.path("tokens").path("used").asLong()).isPositive().isLessThanOrEqualTo(10_000);

        // Every call on the usage API ...
        JsonNode calls = WebSession.parse(admin.get("/api/v1/admin/usage/calls?user=" + enc(EMAIL) + "&size=200").body());
        assertThat(calls.path("total").asLong()).isEqualTo(answered);
        long tokensOnUsagePage = 0;
        Set<Long> auditSeqs = new HashSet<>();
        for (JsonNode call : calls.path("items")) {
            assertThat(call.path("outcome").asText()).isEqualTo("SUCCESS");
            assertThat(call.path("requestSha256").asText()).hasSize(64);
            tokensOnUsagePage += call.path("inputTokens").asLong() + call.path("outputTokens").asLong();
            auditSeqs.add(call.path("auditSeq").asLong());
        }
        assertThat(tokensOnUsagePage).isEqualTo(mine.path("tokens").path("used").asLong());

        // ... and in the audit trail, with the refusal.
        JsonNode modelCalls = WebSession.parse(admin.get("/api/v1/admin/audit?actor=" + enc(EMAIL) + "&action=model.call&limit=500").body());
        Set<Long> auditedSeqs = new HashSet<>();
        modelCalls.path("items").forEach(row -> auditedSeqs.add(row.path("seq").asLong()));
        assertThat(auditedSeqs).isEqualTo(auditSeqs);
        JsonNode refused = WebSession.parse(admin.get("/api/v1/admin/audit?actor=" + enc(EMAIL) + "&action=budget.exceeded").body());
        assertThat(refused.path("items")).hasSize(1);
        assertThat(refused.path("items").get(0).path("outcome").asText()).isEqualTo("DENIED");

        // Exported: every one of those rows is in the JSON Lines file.
        HttpResponse<String> export = admin.get("/api/v1/admin/audit/export?format=jsonl&actor=" + enc(EMAIL));
        assertThat(export.statusCode()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        export.body().lines().forEach(line -> lines.add(WebSession.parse(line)));
        Set<Long> exportedSeqs = new HashSet<>();
        lines.forEach(line -> exportedSeqs.add(line.path("seq").asLong()));
        assertThat(exportedSeqs).containsAll(auditSeqs);
        assertThat(lines).anyMatch(line -> line.path("action").asText().equals("budget.exceeded"));

        // And the chain verifies.
        JsonNode verified = WebSession.parse(admin.postJson("/api/v1/admin/audit/verify", Map.of()).body());
        assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("rowsChecked").asLong()).isGreaterThan(auditSeqs.size());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
