package io.gatehouse.governance.killswitch;

import static io.gatehouse.governance.killswitch.KillSwitchFixtures.ANALYST;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.completion;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.detail;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.person;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.pull;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.release;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.releaseAll;
import static io.gatehouse.governance.killswitch.KillSwitchFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two portal nodes on one PostgreSQL database: a switch pulled on either node is obeyed by the other within a
 * second (LISTEN/NOTIFY, with the poll behind it when the listener's connection is cut), releasing restores,
 * and the history has both nodes' changes.
 */
class KillSwitchClusterTest {

    static final Duration ONE_SECOND = Duration.ofSeconds(1);

    static ScriptedModelServer model;
    static TestPortal first;
    static TestPortal second;
    static WebSession adminOnFirst;
    static WebSession adminOnSecond;
    static String token;
    static UUID memberId;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        first = TestPortal.start();
        adminOnFirst = first.admin();
        first.addProvider(adminOnFirst, "Scripted", model.baseUrl(), "sk-cluster", "model-a");
        token = token(person(first, adminOnFirst, "member@example.test", ANALYST));
        memberId = UUID.fromString(WebSession.parse(adminOnFirst.get("/api/v1/admin/users?q=member@example.test").body())
                .get(0).path("id").asText());
        second = first.secondNode();
        adminOnSecond = second.admin();
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        first.close();
        model.close();
    }

    @AfterEach
    void releaseEverything() {
        releaseAll(adminOnFirst);
        await().atMost(ONE_SECOND).until(() -> second.bean(KillSwitch.class).board().equals(Switchboard.NOTHING));
    }

    /** Polls until {@code refused} holds, at most one second after the change; returns how long it took. */
    private static long millisUntil(long changedAt, Callable<Boolean> refused) {
        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(5)).until(refused);
        return (System.nanoTime() - changedAt) / 1_000_000;
    }

    @Test
    void theGlobalSwitchPulledOnOneNodeRefusesOnTheOtherWithinASecondAndReleasingRestores() {
        assertThat(completion(second, token, "model-a", "Hello").statusCode()).isEqualTo(200);

        long pulledAt = System.nanoTime();
        pull(adminOnFirst, "GLOBAL", null);
        long snapshot = millisUntil(pulledAt, () -> second.bean(KillSwitch.class).isTripped(KillSwitch.Scope.GLOBAL, ""));
        long refusedAfter = millisUntil(pulledAt, () -> completion(second, token, "model-a", "Hello").statusCode() == 503);
        var refused = completion(second, token, "model-a", "Hello");

        assertThat(WebSession.parse(refused.body()).path("error").path("code").asText()).isEqualTo("kill_switch");
        assertThat(detail(refused)).contains("pulled the kill-switch");

        long releasedAt = System.nanoTime();
        assertThat(release(adminOnFirst, "GLOBAL", null).statusCode()).isEqualTo(200);
        long restoredAfter = millisUntil(releasedAt, () -> completion(second, token, "model-a", "Hello").statusCode() == 200);
        System.out.printf("Kill-switch propagation to the second node: snapshot %d ms, first refusal %d ms; release restored in %d ms%n",
                snapshot, refusedAfter, restoredAfter);
    }

    @Test
    void aSwitchPulledOnTheSecondNodeIsObeyedOnTheFirstAndTheHistoryHasBothNodesChanges() {
        long before = WebSession.parse(adminOnFirst.get("/api/v1/admin/kill-switch/history").body()).path("total").asLong();

        long pulledAt = System.nanoTime();
        pull(adminOnSecond, "USER", "member@example.test");
        long refusedAfter = millisUntil(pulledAt,
                () -> first.browser().get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 403);
        assertThat(completion(second, token, "model-a", "Hello").statusCode()).isEqualTo(403);
        long releasedAt = System.nanoTime();
        assertThat(release(adminOnFirst, "USER", memberId.toString()).statusCode()).isEqualTo(200);
        long restoredAfter = millisUntil(releasedAt, () -> completion(second, token, "model-a", "Hello").statusCode() == 200);
        System.out.printf("Kill-switch (user) from the second node to the first: %d ms; release back to the second: %d ms%n",
                refusedAfter, restoredAfter);

        JsonNode history = WebSession.parse(adminOnSecond.get("/api/v1/admin/kill-switch/history?size=2").body());
        assertThat(history.path("total").asLong()).isEqualTo(before + 2);
        List<String> lines = new ArrayList<>();
        history.path("items").forEach(h -> lines.add(h.path("action").asText() + " " + h.path("scope").asText() + " "
                + h.path("label").asText() + " " + h.path("actor").asText()));
        assertThat(lines).containsExactly("RELEASE USER member@example.test " + TestPortal.ADMIN_EMAIL,
                "ENGAGE USER member@example.test " + TestPortal.ADMIN_EMAIL);
    }

    @Test
    void aSwitchStillReachesTheOtherNodeWithinASecondWhileItsListenerConnectionIsCutAndTheListenerComesBack() throws Exception {
        assertThat(listeners()).isEqualTo(2);

        try (Connection sql = first.sql(); var statement = sql.createStatement()) {
            statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()"
                    + " and application_name = '" + KillSwitchListener.APPLICATION_NAME + "'");
        }
        long pulledAt = System.nanoTime();
        pull(adminOnFirst, "MODEL", "model-a");
        long refusedAfter = millisUntil(pulledAt, () -> completion(second, token, "model-a", "Hello").statusCode() == 503);
        System.out.printf("Kill-switch propagation with the listener connection cut: %d ms%n", refusedAfter);

        await().atMost(Duration.ofSeconds(10)).until(() -> listeners() == 2);
    }

    @Test
    void aSwitchSetDirectlyInTheDatabaseInAnEmergencyReachesEveryNode() throws Exception {
        long changedAt = System.nanoTime();
        try (Connection sql = first.sql(); var statement = sql.createStatement()) {
            statement.execute("insert into kill_switches (scope, target, engaged, reason, changed_by_email, changed_at)"
                    + " values ('GLOBAL', '', true, 'set from psql', 'dba@example.test', now())"
                    + " on conflict (scope, target) do update set engaged = true");
        }
        long onFirst = millisUntil(changedAt, () -> first.bean(KillSwitch.class).isTripped(KillSwitch.Scope.GLOBAL, ""));
        long onSecond = millisUntil(changedAt, () -> second.bean(KillSwitch.class).isTripped(KillSwitch.Scope.GLOBAL, ""));
        System.out.printf("Kill-switch set in SQL reached the nodes in %d ms and %d ms%n", onFirst, onSecond);
    }

    private static int listeners() throws Exception {
        try (Connection sql = first.sql(); var statement = sql.createStatement();
             ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                     + " and application_name = '" + KillSwitchListener.APPLICATION_NAME + "' and query ilike 'LISTEN%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
