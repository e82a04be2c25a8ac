package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guardrail settings API and page: validation, access, and settings that take effect on the next answer. */
class GuardrailAdminTest {

    private static final UUID ANALYST = UUID.fromString("00000000-0000-0000-0000-00000000a003");
    private static final String ANALYST_PASSWORD = "an analyst's long passphrase 7";

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static WebSession analyst;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "scripted-model");
        User user = portal.bean(UserAccounts.class).createLocal("analyst@example.test", "Ana Lyst", ANALYST_PASSWORD, false);
        portal.bean(RoleAssignments.class).setManual(user.id(), List.of(ANALYST));
        analyst = portal.signedIn("analyst@example.test", ANALYST_PASSWORD);
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void theOverviewShowsEveryonesDefaultsAndEveryRole() {
        JsonNode overview = WebSession.parse(admin.get("/api/v1/admin/guardrails").body());

        assertThat(overview.path("checks").findValuesAsText("key")).containsExactly("secrets", "internalAddresses", "sqlText", "identifiers", "codeBlocks");
        assertThat(overview.path("actions").toString()).isEqualTo("[\"OFF\",\"STRIP\",\"BLOCK\"]");
        JsonNode everyone = overview.path("scopes").get(0);
        assertThat(everyone.path("scope").asText()).isEqualTo("everyone");
        assertThat(everyone.path("checks").path("secrets").asText()).isEqualTo("STRIP");
        assertThat(everyone.path("checks").path("internalAddresses").asText()).isEqualTo("STRIP");
        assertThat(everyone.path("checks").path("sqlText").asText()).isEqualTo("OFF");
        assertThat(overview.path("scopes").findValuesAsText("name")).contains("Everyone", "Admin", "Manager", "Analyst", "Read-only");
    }

    @Test
    void aRolesStricterSettingAppliesToItsMembersOnlyAndAtOnce() {
        var saved = admin.putJson("/api/v1/admin/guardrails/" + ANALYST, Map.of("checks", Map.of("sqlText", "BLOCK", "identifiers", "STRIP"),
                "blockedIdentifiers", List.of("invoices")));
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(saved.body()).path("checks").path("sqlText").asText()).isEqualTo("BLOCK");

        model.enqueue(ScriptedModelServer.text("Run SELECT name FROM customers; to see them."));
        var blocked = analyst.postForEvents("/api/v1/chat/messages", Map.of("message", "How do I list customers?"));
        model.enqueue(ScriptedModelServer.text("Run SELECT name FROM customers; to see them."));
        var shown = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How do I list customers?"));

        JsonNode done = blocked.named("done").getFirst().json();
        assertThat(done.path("text").asText()).isEqualTo("This answer was withheld by policy.");
        assertThat(done.path("notice").asText()).isEqualTo("Removed by policy: the whole answer (it contained 1 SQL statement)");
        assertThat(blocked.raw()).doesNotContain("SELECT name");
        assertThat(shown.named("done").getFirst().json().path("text").asText()).isEqualTo("Run SELECT name FROM customers; to see them.");

        model.enqueue(ScriptedModelServer.text("The invoices table has 5000 rows."));
        var named = analyst.postForEvents("/api/v1/chat/messages", Map.of("message", "How big is it?"));
        assertThat(named.named("done").getFirst().json().path("text").asText()).isEqualTo("The [removed by policy] table has 5000 rows.");

        assertThat(admin.delete("/api/v1/admin/guardrails/" + ANALYST).statusCode()).isEqualTo(204);
        model.enqueue(ScriptedModelServer.text("The invoices table has 5000 rows."));
        var reset = analyst.postForEvents("/api/v1/chat/messages", Map.of("message", "How big is it?"));
        assertThat(reset.named("done").getFirst().json().path("text").asText()).isEqualTo("The invoices table has 5000 rows.");
    }

    @Test
    void aBadRegularExpressionIsA400NamingTheField() {
        HttpResponse<String> response = admin.putJson("/api/v1/admin/guardrails/everyone", Map.of("denyPatterns", List.of("(?i)secret", "(unclosed")));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = WebSession.parse(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:invalid-pattern");
        assertThat(problem.path("field").asText()).isEqualTo("denyPatterns[1]");
        assertThat(problem.path("detail").asText()).startsWith("Deny pattern 2 is not a valid regular expression: Unclosed group");
        assertThat(WebSession.parse(admin.get("/api/v1/admin/guardrails/everyone").body()).path("denyPatterns")).isEmpty();
    }

    @Test
    void otherBadValuesAre400sNamingTheirField() {
        Map<String, Map<String, Object>> cases = Map.of(
                "checks.sqlText", Map.of("checks", Map.of("sqlText", "MAYBE")),
                "checks.everything", Map.of("checks", Map.of("everything", "OFF")),
                "denyPatterns[0]", Map.of("denyPatterns", List.of(".*")),
                "allowedLinkDomains[1]", Map.of("allowedLinkDomains", List.of("docs.example.com", "com")),
                "internalDomains[0]", Map.of("internalDomains", List.of("bad domain")),
                "blockedIdentifiers[0]", Map.of("blockedIdentifiers", List.of("drop table;")));
        cases.forEach((field, body) -> {
            HttpResponse<String> response = admin.putJson("/api/v1/admin/guardrails/everyone", body);
            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(WebSession.parse(response.body()).path("field").asText()).isEqualTo(field);
        });
    }

    @Test
    void listsAreNormalisedWhenSaved() {
        var saved = admin.putJson("/api/v1/admin/guardrails/everyone", Map.of("allowedLinkDomains", List.of(" *.Docs.Example.com ", "docs.example.com"),
                "internalDomains", List.of(".corp.example.com.")));

        JsonNode view = WebSession.parse(saved.body());
        assertThat(view.path("allowedLinkDomains").toString()).isEqualTo("[\"docs.example.com\"]");
        assertThat(view.path("internalDomains").toString()).isEqualTo("[\"corp.example.com\"]");
        assertThat(view.path("checks").path("secrets").asText()).isEqualTo("STRIP");
        admin.putJson("/api/v1/admin/guardrails/everyone", Map.of("allowedLinkDomains", List.of(), "internalDomains", List.of()));
    }

    @Test
    void anUnknownRoleIsA404() {
        assertThat(admin.get("/api/v1/admin/guardrails/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(admin.putJson("/api/v1/admin/guardrails/not-a-role", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void peopleWhoAreNotAdminsGet403AndStrangers401() {
        WebSession stranger = portal.browser();

        assertThat(analyst.get("/api/v1/admin/guardrails").statusCode()).isEqualTo(403);
        assertThat(analyst.putJson("/api/v1/admin/guardrails/everyone", Map.of("checks", Map.of("secrets", "OFF"))).statusCode()).isEqualTo(403);
        assertThat(analyst.get("/admin/guardrails", "Accept", "text/html").statusCode()).isEqualTo(403);
        assertThat(stranger.get("/api/v1/admin/guardrails").statusCode()).isEqualTo(401);
        assertThat(stranger.get("/admin/guardrails", "Accept", "text/html").statusCode()).isEqualTo(303);
    }

    @Test
    void thePageLoadsItsOwnScriptAndHasNoInlineScript() {
        String page = admin.get("/admin/guardrails", "Accept", "text/html").body();

        assertThat(page).contains("<title>Guardrails · Gatehouse</title>", "<script src=\"/static/guardrails.js\"></script>", "id=\"guardrail-form\"");
        assertThat(page.replace("<script src=\"/static/guardrails.js\"></script>", "")).doesNotContain("<script");
        assertThat(admin.get("/static/guardrails.js").statusCode()).isEqualTo(200);
    }
}
