package io.gatehouse.budget;

import static io.gatehouse.budget.BudgetFixtures.completion;
import static io.gatehouse.budget.BudgetFixtures.detail;
import static io.gatehouse.budget.BudgetFixtures.person;
import static io.gatehouse.budget.BudgetFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.budget.BudgetFixtures.Person;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets start afresh at midnight on the 1st in the installation's time zone (Berlin here, an hour ahead of UTC
 * in winter), with the clock the test moves: still refused one second before, allowed at midnight.
 */
class BudgetResetTest {

    static ScriptedModelServer model;
    static TestPortal portal;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start(Map.of("GATEHOUSE_TIME_ZONE", "Europe/Berlin"));
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aSpentBudgetIsRefusedUntilMidnightOnTheFirstInTheInstallationsZoneAndAllowedFromThen() {
        WebSession admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a");
        Person ana = person(portal, admin, "ana@example.test");
        rule(admin, "USER", ana.email(), "*", 60, null);
        assertThat(completion(portal, ana.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(200); // uses 5 of 60
        assertThat(completion(portal, ana.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(429); // 5 + 59 > 60

        // 22:59:59 UTC on 30 November is 23:59:59 in Berlin: still November there (and in UTC both days are November).
        moveTo(Instant.parse("2026-11-30T22:59:59Z"));
        HttpResponse<String> lastSecond = completion(portal, ana.token(), "model-a", "Hello", 50);
        assertThat(lastSecond.statusCode()).isEqualTo(429);
        assertThat(lastSecond.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(detail(lastSecond)).isEqualTo("You have used 5 of your 60 monthly tokens; this request needs up to 59."
                + " Your budget resets on 1 December 2026 (Europe/Berlin).");

        // Midnight in Berlin, still 30 November in UTC.
        portal.clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> december = completion(portal, ana.token(), "model-a", "Hello", 50);
        assertThat(december.statusCode()).as(december.body()).isEqualTo(200);
        HttpResponse<String> spentAgain = completion(portal, ana.token(), "model-a", "Hello", 50);
        assertThat(detail(spentAgain)).isEqualTo("You have used 5 of your 60 monthly tokens; this request needs up to 59."
                + " Your budget resets on 1 January 2027 (Europe/Berlin).");
    }

    private static void moveTo(Instant instant) {
        portal.clock.advance(Duration.between(portal.clock.instant(), instant));
    }
}
