package io.gatehouse.budget;

import static io.gatehouse.budget.BudgetFixtures.ask;
import static io.gatehouse.budget.BudgetFixtures.completion;
import static io.gatehouse.budget.BudgetFixtures.detail;
import static io.gatehouse.budget.BudgetFixtures.person;
import static io.gatehouse.budget.BudgetFixtures.putRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.budget.BudgetFixtures.Person;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chat requests per minute per person: the installation's default, a person's own rate, 429 with Retry-After. */
class RateLimitTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aPersonsOwnRateCountsTheChatPageAndTheApiTogetherAndAnswers429WithRetryAfter() {
        Person ana = person(portal, admin, "ana@example.test");
        Person bob = person(portal, admin, "bob@example.test");
        assertThat(putRate(admin, ana.email(), 2).statusCode()).isEqualTo(200);
        int calls = model.requests().size();

        assertThat(completion(portal, ana.token(), "model-a", "Hello", null).statusCode()).isEqualTo(200);
        assertThat(ask(ana.session(), "model-a", "Hello").named("done")).hasSize(1);
        HttpResponse<String> api = completion(portal, ana.token(), "model-a", "Hello", null);
        HttpResponse<String> page = ana.session().postJson("/api/v1/chat/messages", java.util.Map.of("message", "Hello", "model", "model-a"));

        for (HttpResponse<String> limited : java.util.List.of(api, page)) {
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(detail(limited)).isEqualTo("You are sending requests too fast: the limit is 2 requests a minute. Try again in 30 seconds.");
        }
        assertThat(WebSession.parse(api.body()).path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(WebSession.parse(page.body()).path("type").asText()).endsWith(":rate-limited");
        assertThat(model.requests()).hasSize(calls + 2);
        assertThat(completion(portal, bob.token(), "model-a", "Hello", null).statusCode()).as("others are not limited").isEqualTo(200);

        portal.clock.advance(Duration.ofSeconds(30));
        assertThat(completion(portal, ana.token(), "model-a", "Hello", null).statusCode()).isEqualTo(200);
        assertThat(completion(portal, ana.token(), "model-a", "Hello", null).statusCode()).isEqualTo(429);
    }

    @Test
    void theDefaultAppliesToEveryoneWithoutARateOfTheirOwnAndZeroMeansNoLimit() {
        Person cat = person(portal, admin, "cat@example.test");
        Person dan = person(portal, admin, "dan@example.test");
        try {
            assertThat(putRate(admin, null, 1).statusCode()).isEqualTo(200);
            assertThat(putRate(admin, dan.email(), 0).statusCode()).isEqualTo(200);

            assertThat(completion(portal, cat.token(), "model-a", "Hello", null).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = completion(portal, cat.token(), "model-a", "Hello", null);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(detail(limited)).contains("the limit is 1 request a minute", "Try again in 60 seconds.");
            for (int i = 0; i < 3; i++) {
                assertThat(completion(portal, dan.token(), "model-a", "Hello", null).statusCode()).isEqualTo(200);
            }
            assertThat(WebSession.parse(dan.session().get("/api/v1/me/budget").body()).path("requestsPerMinute").isNull()).isTrue();
            assertThat(WebSession.parse(cat.session().get("/api/v1/me/budget").body()).path("requestsPerMinute").asInt()).isEqualTo(1);
        } finally {
            putRate(admin, null, null);
        }
        assertThat(completion(portal, cat.token(), "model-a", "Hello", null).statusCode()).isEqualTo(200);
    }
}
