package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.connector.ToolBroker;
import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.model.ToolCall;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who is offered which tools, and which calls run, is decided from the person's roles: the real SQL connector
 * on the demo database, the scripted model, and people holding different roles.
 */
class GrantsMatrixTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static String financeRole;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        model.recordRequests(true);
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model", "other-model");
        portal.addDemoConnector(admin, "demo");

        HttpResponse<String> finance = admin.postJson("/api/v1/admin/roles", Map.of("name", "Finance", "description", "Invoices"));
        financeRole = WebSession.parse(finance.body()).path("id").asText();
        HttpResponse<String> granted = admin.putJson("/api/v1/admin/roles/" + financeRole + "/grants", Map.of(
                "models", List.of("tool-model"),
                "tools", List.of(Map.of("connector", "demo", "tool", "run_query", "access", "READ")),
                "systemPrompt", "You help the finance team. Amounts are in euros."));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);

        person("ana@example.test", "Analyst");
        person("rory@example.test", "Read-only");
        person("fran@example.test", "Finance");
        person("nobody@example.test");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private static UUID person(String email, String... roleNames) {
        UUID id = portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
        List<UUID> roles = new ArrayList<>();
        for (String name : roleNames) {
            roles.add(portal.bean(RoleRepository.class).findByNameIgnoreCase(name).orElseThrow().id());
        }
        portal.bean(RoleAssignments.class).setManual(id, roles);
        return id;
    }

    /** The tool names the model was offered on the turn's first call. */
    private static List<String> offeredTo(String email) {
        model.enqueue(ScriptedModelServer.text("ok"));
        int before = model.requests().size();
        var result = portal.signedIn(email, PASSWORD).postForEvents("/api/v1/chat/messages", Map.of("message", "hi", "model", "tool-model"));
        assertThat(result.named("done")).as(result.raw()).hasSize(1);
        List<String> offered = new ArrayList<>();
        model.requests().get(before).path("tools").forEach(t -> offered.add(t.path("function").path("name").asText()));
        return offered;
    }

    @Test
    void eachRoleIsOfferedExactlyItsGrantedTools() {
        assertThat(offeredTo("ana@example.test")).contains("demo__run_query", "demo__list_tables", "demo__describe_table")
                .doesNotContain("demo__execute_statement");
        assertThat(offeredTo("fran@example.test")).containsExactly("demo__run_query");
        assertThat(offeredTo("rory@example.test")).isEmpty();
        // No role, no grants at all: not even a model (deny by default).
        HttpResponse<String> nobody = portal.signedIn("nobody@example.test", PASSWORD).postJson("/api/v1/chat/messages",
                Map.of("message", "hi", "model", "tool-model"));
        assertThat(nobody.statusCode()).isEqualTo(404);
    }

    @Test
    void aCallOfAToolNotGrantedIsRefusedAndNothingRuns() {
        model.enqueue(new ScriptedModelServer.ToolCall("demo__list_tables", "{}"), ScriptedModelServer.text("Sorry."));
        int before = model.requests().size();
        var result = portal.signedIn("fran@example.test", PASSWORD).postForEvents("/api/v1/chat/messages",
                Map.of("message", "What tables are there?", "model", "tool-model"));

        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).isTrue();
        assertThat(step.path("rows").isMissingNode() || step.path("rows").isNull()).isTrue();
        JsonNode messages = model.requests().get(before + 1).path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").asText()).contains("Not permitted");
    }

    @Test
    void theBrokerAuthorizesAgainAtDispatchWhateverWasOffered() {
        UUID readOnly = portal.bean(io.gatehouse.auth.UserRepository.class).findByEmailIgnoreCase("rory@example.test").orElseThrow().id();
        Caller caller = new Caller(readOnly, "rory@example.test", "rory", false, Caller.Channel.SESSION, UUID.randomUUID(), Caller.Access.FULL);
        ToolBroker broker = portal.bean(ToolBroker.class);

        ToolOutcome refused = broker.call(caller, new ToolCall("c1", "demo__run_query", "{\"sql\":\"select 1\"}"));
        ToolOutcome action = broker.call(caller, new ToolCall("c2", "demo__execute_statement", "{\"sql\":\"delete from invoices\"}"));

        assertThat(refused.error()).isTrue();
        assertThat(refused.content()).startsWith("Not permitted");
        assertThat(action.error()).isTrue();
        assertThat(action.content()).startsWith("Not permitted");
    }

    @Test
    void modelsOutsideTheRolesAllowListDoNotExistForThatPerson() {
        WebSession fran = portal.signedIn("fran@example.test", PASSWORD);
        HttpResponse<String> other = fran.postJson("/api/v1/chat/messages", Map.of("message", "hi", "model", "other-model"));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(WebSession.parse(other.body()).path("detail").asText()).contains("does not exist or you do not have access");
        assertThat(fran.get("/", "Accept", "text/html").body()).contains("tool-model").doesNotContain("other-model");
        assertThat(portal.signedIn("ana@example.test", PASSWORD).get("/", "Accept", "text/html").body()).contains("other-model");
    }

    @Test
    void theRolePromptLeadsTheConversation() {
        model.enqueue(ScriptedModelServer.text("ok"));
        int before = model.requests().size();
        portal.signedIn("fran@example.test", PASSWORD).postForEvents("/api/v1/chat/messages", Map.of("message", "hi", "model", "tool-model"));

        JsonNode first = model.requests().get(before).path("messages").get(0);
        assertThat(first.path("role").asText()).isEqualTo("system");
        // The portal's note on untrusted tool data comes first (tools are offered), then the role's prompt.
        assertThat(first.path("content").asText()).contains("UNTRUSTED DATA").endsWith("You help the finance team. Amounts are in euros.");
    }

    @Test
    void aChangedGrantAppliesAtTheNextTurn() {
        person("temp@example.test", "Finance");
        assertThat(offeredTo("temp@example.test")).containsExactly("demo__run_query");
        String role = WebSession.parse(admin.postJson("/api/v1/admin/roles", Map.of("name", "Temp")).body()).path("id").asText();
        admin.putJson("/api/v1/admin/roles/" + role + "/grants", Map.of("models", List.of("*"),
                "tools", List.of(Map.of("connector", "demo", "tool", "describe_table", "access", "READ"))));
        UUID temp = portal.bean(io.gatehouse.auth.UserRepository.class).findByEmailIgnoreCase("temp@example.test").orElseThrow().id();
        portal.bean(RoleAssignments.class).setManual(temp, List.of(UUID.fromString(role)));

        assertThat(offeredTo("temp@example.test")).containsExactly("demo__describe_table");
    }

    @Test
    void grantsAreValidatedWithAClearMessage() {
        HttpResponse<String> wildcardAction = admin.putJson("/api/v1/admin/roles/" + financeRole + "/grants", Map.of(
                "tools", List.of(Map.of("connector", "demo", "tool", "*", "access", "ACTION", "trustLevel", "AUDITED"))));
        assertThat(wildcardAction.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(wildcardAction.body()).path("detail").asText()).contains("wildcards are for read tools only");
        HttpResponse<String> noTrust = admin.putJson("/api/v1/admin/roles/" + financeRole + "/grants", Map.of(
                "tools", List.of(Map.of("connector", "demo", "tool", "execute_statement", "access", "ACTION"))));
        assertThat(WebSession.parse(noTrust.body()).path("field").asText()).isEqualTo("tools[0].trustLevel");
        HttpResponse<String> boundedWithoutLimit = admin.putJson("/api/v1/admin/roles/" + financeRole + "/grants", Map.of(
                "tools", List.of(Map.of("connector", "demo", "tool", "execute_statement", "access", "ACTION", "trustLevel", "BOUNDED"))));
        assertThat(boundedWithoutLimit.statusCode()).isEqualTo(400);
        // Nothing changed: Finance still has its one read grant.
        JsonNode grants = WebSession.parse(admin.get("/api/v1/admin/roles/" + financeRole + "/grants").body());
        assertThat(grants.path("tools")).hasSize(1);
        assertThat(grants.path("systemPrompt").asText()).contains("euros");
    }
}
