package io.gatehouse.budget;

import static io.gatehouse.budget.BudgetFixtures.auditRows;
import static io.gatehouse.budget.BudgetFixtures.person;
import static io.gatehouse.budget.BudgetFixtures.putRate;
import static io.gatehouse.budget.BudgetFixtures.putRule;
import static io.gatehouse.budget.BudgetFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.budget.BudgetFixtures.AuditRow;
import io.gatehouse.budget.BudgetFixtures.Person;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The budgets API: who may use it, what it refuses and why, what it shows, and that every change is audited. */
class BudgetAdminApiTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static Person ana;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a", "model-b");
        ana = person(portal, admin, "ana@example.test");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private static JsonNode problem(HttpResponse<String> response) {
        return WebSession.parse(response.body());
    }

    @Test
    void onlyAdminsMayReadOrChangeBudgets() {
        assertThat(portal.browser().get("/api/v1/admin/budgets").statusCode()).isEqualTo(401);
        assertThat(portal.browser().putJson("/api/v1/admin/budgets/rules", Map.of("scope", "GLOBAL")).statusCode()).isEqualTo(401);
        assertThat(ana.session().get("/api/v1/admin/budgets").statusCode()).isEqualTo(403);
        assertThat(putRule(ana.session(), "USER", ana.email(), "*", 1_000_000, null).statusCode()).isEqualTo(403);
        assertThat(putRate(ana.session(), ana.email(), 0).statusCode()).isEqualTo(403);
        assertThat(ana.session().get("/admin/budgets").statusCode()).isEqualTo(403);
        assertThat(portal.browser().get("/api/v1/me/budget").statusCode()).isEqualTo(401);
    }

    @Test
    void invalidChangesAreRefusedWithWhatToFix() {
        HttpResponse<String> negativeTokens = putRule(admin, "USER", ana.email(), "*", -1, null);
        HttpResponse<String> negativeCost = putRule(admin, "GLOBAL", null, "*", null, "-0.5");
        HttpResponse<String> tooPrecise = putRule(admin, "GLOBAL", null, "*", null, "0.00001");
        HttpResponse<String> unknownModel = putRule(admin, "GLOBAL", null, "gpt-nonexistent", 100, null);
        HttpResponse<String> unknownUser = putRule(admin, "USER", "nobody@example.test", "*", 100, null);
        HttpResponse<String> unknownRole = putRule(admin, "ROLE", "No such role", "*", 100, null);
        HttpResponse<String> noScope = putRule(admin, "TEAM", null, "*", 100, null);
        HttpResponse<String> negativeRate = putRate(admin, ana.email(), -5);
        HttpResponse<String> rateOfNobody = putRate(admin, "nobody@example.test", 5);

        for (HttpResponse<String> r : List.of(negativeTokens, negativeCost, tooPrecise, unknownModel, noScope, negativeRate)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        }
        for (HttpResponse<String> r : List.of(unknownUser, unknownRole, rateOfNobody)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        }
        assertThat(problem(negativeTokens).path("type").asText()).endsWith(":invalid-budget");
        assertThat(problem(negativeTokens).path("field").asText()).isEqualTo("monthlyTokens");
        assertThat(problem(negativeTokens).path("detail").asText()).isEqualTo("A monthly token budget is 0 or more (empty for no limit).");
        assertThat(problem(negativeCost).path("field").asText()).isEqualTo("monthlyCost");
        assertThat(problem(tooPrecise).path("detail").asText()).contains("at most 4 decimal places");
        assertThat(problem(unknownModel).path("type").asText()).endsWith(":unknown-model");
        assertThat(problem(unknownModel).path("detail").asText()).isEqualTo(
                "There is no model 'gpt-nonexistent'. Use a model listed on the Models page, or * for all models.");
        assertThat(problem(unknownUser).path("type").asText()).endsWith(":user-not-found");
        assertThat(problem(unknownUser).path("detail").asText()).isEqualTo("No one has the email address 'nobody@example.test'.");
        assertThat(problem(unknownRole).path("type").asText()).endsWith(":role-not-found");
        assertThat(problem(noScope).path("type").asText()).endsWith(":invalid-budget-scope");
        assertThat(problem(negativeRate).path("field").asText()).isEqualTo("requestsPerMinute");
        assertThat(WebSession.parse(admin.get("/api/v1/admin/budgets").body()).path("global")).isEmpty();
    }

    @Test
    void everyChangeIsAuditedWithBeforeAndAfterAndShowsInTheOverview() throws SQLException {
        Person bob = person(portal, admin, "bob@example.test");
        rule(admin, "USER", bob.email(), "model-b", 1_000, null);
        HttpResponse<String> changed = putRule(admin, "USER", bob.email().toUpperCase(), "model-b", 2_500, "1.25");
        assertThat(putRate(admin, bob.email(), 7).statusCode()).isEqualTo(200);
        rule(admin, "ROLE", "Analyst", "model-a", null, "3");

        assertThat(changed.statusCode()).isEqualTo(200);
        JsonNode change = WebSession.parse(changed.body());
        assertThat(change.path("scope").asText()).isEqualTo("USER");
        assertThat(change.path("email").asText()).isEqualTo("bob@example.test");
        assertThat(change.path("before").path("monthlyTokens").asLong()).isEqualTo(1_000);
        assertThat(change.path("before").path("monthlyCost").isNull()).isTrue();
        assertThat(change.path("after").path("monthlyTokens").asLong()).isEqualTo(2_500);

        List<AuditRow> rows = auditRows(portal, "budget.updated").stream().filter(r -> bob.id().toString().equals(r.targetId())).toList();
        assertThat(rows).hasSize(3);
        AuditRow second = rows.get(1);
        assertThat(second.outcome()).isEqualTo("SUCCESS");
        assertThat(second.actorId()).isNotNull().isNotEqualTo(bob.id());
        assertThat(second.targetType()).isEqualTo("user");
        assertThat(second.details().path("scope").asText()).isEqualTo("USER");
        assertThat(second.details().path("model").asText()).isEqualTo("model-b");
        assertThat(second.details().path("tokensBefore").asLong()).isEqualTo(1_000);
        assertThat(second.details().path("tokensAfter").asLong()).isEqualTo(2_500);
        assertThat(second.details().path("costAfter").decimalValue()).isEqualByComparingTo("1.25");
        assertThat(second.details().has("costBefore")).isFalse();
        assertThat(rows.get(2).details().path("setting").asText()).isEqualTo("requestsPerMinute");
        assertThat(rows.get(2).details().path("after").asInt()).isEqualTo(7);

        JsonNode overview = WebSession.parse(admin.get("/api/v1/admin/budgets").body());
        assertThat(overview.path("models")).extracting(JsonNode::asText).containsExactly("model-a", "model-b");
        assertThat(overview.path("users")).anySatisfy(u -> {
            assertThat(u.path("email").asText()).isEqualTo("bob@example.test");
            assertThat(u.path("model").asText()).isEqualTo("model-b");
            assertThat(u.path("monthlyTokens").asLong()).isEqualTo(2_500);
        });
        assertThat(overview.path("roles")).anySatisfy(r -> {
            assertThat(r.path("role").asText()).isEqualTo("Analyst");
            assertThat(r.path("model").asText()).isEqualTo("model-a");
            assertThat(r.path("monthlyCost").decimalValue()).isEqualByComparingTo("3");
        });
        assertThat(overview.path("rateLimits").path("users")).anySatisfy(u -> assertThat(u.path("requestsPerMinute").asInt()).isEqualTo(7));
        assertThat(overview.path("usage")).anySatisfy(u -> {
            assertThat(u.path("email").asText()).isEqualTo("bob@example.test");
            assertThat(u.has("usedTokens") && u.has("tokenLimit") && u.has("usedCost") && u.has("costLimit")).isTrue();
        });
        assertThat(overview.path("timeZone").asText()).isEqualTo("UTC");
        assertThat(overview.path("defaultMaxOutput").asInt()).isEqualTo(1_024);
    }

    @Test
    void aChangeIsRefusedWhenItsAuditRowCannotBeWritten() throws SQLException {
        Person cat = person(portal, admin, "cat@example.test");
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> refused;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                refused = putRule(admin, "USER", cat.email(), "*", 5_000, null);
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(problem(refused).path("type").asText()).endsWith(":audit-unavailable");
        assertThat(WebSession.parse(cat.session().get("/api/v1/me/budget").body()).path("tokens").path("limit").isNull())
                .as("the change was rolled back").isTrue();
    }

    @Test
    void theBudgetsPageRendersForAnAdmin() {
        HttpResponse<String> page = admin.get("/admin/budgets", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Budgets</h1>", "/static/budgets.js", "id=\"rule-form\"");
        assertThat(admin.get("/static/budgets.js").statusCode()).isEqualTo(200);
    }
}
