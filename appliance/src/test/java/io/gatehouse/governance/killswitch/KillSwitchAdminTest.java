package io.gatehouse.governance.killswitch;

import static io.gatehouse.governance.killswitch.KillSwitchFixtures.PASSWORD;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.engage;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.member;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.release;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.releaseAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kill-switch panel's API and page: admins only, validated input, state with labels, history newest first. */
class KillSwitchAdminTest {

    static TestPortal portal;
    static WebSession admin;
    static WebSession member;
    static UUID memberId;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        memberId = member(portal, "member@example.test");
        member = portal.signedIn("member@example.test", PASSWORD);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @AfterEach
    void releaseEverything() {
        releaseAll(admin);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = WebSession.parse(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:" + type);
        if (field != null) {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void withoutASessionTheApiAnswers401AndThePageSendsToSignIn() {
        assertProblem(portal.browser().get("/api/v1/admin/kill-switch"), 401, "unauthenticated", null);
        assertProblem(engage(portal.browser(), "GLOBAL", null, "x"), 401, "unauthenticated", null);
        var page = portal.browser().get("/admin/kill-switch", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
    }

    @Test
    void aMemberGets403EverywhereAndCannotPullTheSwitch() {
        assertProblem(member.get("/api/v1/admin/kill-switch"), 403, "forbidden", null);
        assertProblem(member.get("/api/v1/admin/kill-switch/history"), 403, "forbidden", null);
        assertProblem(engage(member, "GLOBAL", null, "I want to"), 403, "forbidden", null);
        assertProblem(release(member, "GLOBAL", null), 403, "forbidden", null);
        assertThat(member.get("/admin/kill-switch", "Accept", "text/html").statusCode()).isEqualTo(403);
        assertThat(portal.bean(KillSwitch.class).isTripped(KillSwitch.Scope.GLOBAL, "")).isFalse();
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> field {3}")
    @CsvSource(nullValues = "null", value = {
            "null, null, a reason, scope",
            "'', null, a reason, scope",
            "EVERYTHING, null, a reason, scope",
            "GLOBAL, null, null, reason",
            "GLOBAL, null, '   ', reason",
            "MODEL, null, a reason, target",
            "MODEL, '  ', a reason, target",
            "CONNECTOR, null, a reason, target",
            "TOOL, run_query, a reason, target",
            "TOOL, demo__, a reason, target",
            "TOOL, __run_query, a reason, target",
            "ROLE, No Such Role, a reason, target",
            "USER, nobody@example.test, a reason, target",
            "MODEL, gpt-4o, null, reason"})
    void invalidSwitchesAreRefusedWith400NamingTheField(String scope, String target, String reason, String field) {
        var response = engage(admin, scope, target, reason);

        assertProblem(response, 400, "invalid-kill-switch", field);
        assertThat(WebSession.parse(response.body()).path("detail").asText()).isNotBlank();
        assertThat(WebSession.parse(admin.get("/api/v1/admin/kill-switch").body()).path("switches")).isEmpty();
    }

    @Test
    void anOverlongReasonIsRefused() {
        assertProblem(engage(admin, "GLOBAL", null, "x".repeat(KillSwitch.MAX_REASON_CHARS + 1)), 400, "invalid-kill-switch", "reason");
    }

    @Test
    void releasingASwitchThatIsNotEngagedIsAConflict() {
        var response = release(admin, "MODEL", "gpt-4o");

        assertProblem(response, 409, "kill-switch-not-engaged", null);
        assertThat(WebSession.parse(response.body()).path("detail").asText()).contains("the model 'gpt-4o'", "not engaged");
    }

    @Test
    void theStateShowsEachEngagedSwitchWithWhoWhenAndWhyAndLabelsPeopleAndRoles() {
        assertThat(engage(admin, "global", null, "Incident 42").statusCode()).isEqualTo(200);
        assertThat(engage(admin, "USER", "MEMBER@example.test", "Left the company").statusCode()).isEqualTo(200);
        var tool = admin.postJson("/api/v1/admin/kill-switch/engage",
                Map.of("scope", "TOOL", "connector", "demo", "tool", "execute_statement", "reason", "Writes paused"));
        assertThat(tool.statusCode()).isEqualTo(200);

        JsonNode state = WebSession.parse(admin.get("/api/v1/admin/kill-switch").body());

        JsonNode global = state.path("global");
        assertThat(global.path("engaged").asBoolean()).isTrue();
        assertThat(global.path("reason").asText()).isEqualTo("Incident 42");
        assertThat(global.path("changedBy").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(global.path("changedAt").asText()).isNotBlank();
        List<String> switches = new ArrayList<>();
        state.path("switches").forEach(s -> switches.add(s.path("scope").asText() + " " + s.path("target").asText() + " "
                + s.path("label").asText() + " " + s.path("reason").asText()));
        assertThat(switches).containsExactlyInAnyOrder(
                "USER " + memberId + " member@example.test Left the company",
                "TOOL demo__execute_statement demo__execute_statement Writes paused");
        KillSwitch killSwitch = portal.bean(KillSwitch.class);
        assertThat(killSwitch.isTripped(KillSwitch.Scope.USER, memberId.toString())).isTrue();
        assertThat(killSwitch.isTripped(KillSwitch.Scope.TOOL, "demo__execute_statement")).isTrue();
    }

    @Test
    void engagingAgainUpdatesTheReasonAndEveryChangeLandsInTheHistoryNewestFirst() {
        long before = WebSession.parse(admin.get("/api/v1/admin/kill-switch/history").body()).path("total").asLong();
        engage(admin, "MODEL", "gpt-4o", "first reason");
        engage(admin, "MODEL", "gpt-4o", "second reason");
        assertThat(release(admin, "MODEL", "gpt-4o").statusCode()).isEqualTo(200);
        engage(admin, "CONNECTOR", "crm", "crm leak");
        assertThat(admin.postJson("/api/v1/admin/kill-switch/release", Map.of("scope", "CONNECTOR", "target", "crm",
                "reason", "fixed")).statusCode()).isEqualTo(200);

        JsonNode first = WebSession.parse(admin.get("/api/v1/admin/kill-switch/history?page=0&size=3").body());
        JsonNode second = WebSession.parse(admin.get("/api/v1/admin/kill-switch/history?page=1&size=3").body());

        assertThat(first.path("total").asLong()).isEqualTo(before + 5);
        assertThat(first.path("size").asInt()).isEqualTo(3);
        List<String> lines = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.path("items").forEach(h -> lines.add(h.path("action").asText() + " " + h.path("scope").asText() + " "
                    + h.path("target").asText() + " " + h.path("reason").asText() + " " + h.path("actor").asText()));
        }
        assertThat(lines.subList(0, 5)).containsExactly(
                "RELEASE CONNECTOR crm fixed " + TestPortal.ADMIN_EMAIL,
                "ENGAGE CONNECTOR crm crm leak " + TestPortal.ADMIN_EMAIL,
                "RELEASE MODEL gpt-4o  " + TestPortal.ADMIN_EMAIL,
                "ENGAGE MODEL gpt-4o second reason " + TestPortal.ADMIN_EMAIL,
                "ENGAGE MODEL gpt-4o first reason " + TestPortal.ADMIN_EMAIL);
        assertProblem(admin.get("/api/v1/admin/kill-switch/history?size=1000"), 400, "invalid-kill-switch", "size");
        assertProblem(admin.get("/api/v1/admin/kill-switch/history?page=-1"), 400, "invalid-kill-switch", "page");
    }

    @Test
    void theHistoryCannotBeRewrittenEvenInTheDatabase() throws Exception {
        engage(admin, "MODEL", "gpt-4o", "kept forever");
        try (var connection = portal.sql(); var statement = connection.createStatement()) {
            for (String sql : List.of("update kill_switch_history set reason = 'nothing happened'", "delete from kill_switch_history",
                    "truncate kill_switch_history")) {
                try {
                    statement.execute(sql);
                    throw new AssertionError("The history accepted: " + sql);
                } catch (java.sql.SQLException refused) {
                    assertThat(refused.getMessage()).contains("append-only");
                }
            }
        }
    }

    @Test
    void thePageLoadsItsScriptFromTheServerAndHasNoInlineScript() {
        var page = admin.get("/admin/kill-switch", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Kill-switch</h1>", "id=\"global-button\"", "id=\"switch-form\"", "id=\"history-rows\"",
                "<script src=\"/static/kill-switch.js\"></script>");
        assertThat(page.body().replace("<script src=\"/static/kill-switch.js\"></script>", "")).doesNotContain("<script")
                .doesNotContain("style=").doesNotContain("onclick");
        assertThat(portal.browser().get("/static/kill-switch.js").statusCode()).isEqualTo(200);
        assertThat(portal.browser().get("/static/kill-switch.css").statusCode()).isEqualTo(200);
    }
}
