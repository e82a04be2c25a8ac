package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySessionsTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        portal.bean(UserAccounts.class).createLocal("traveller@example.test", "Traveller", "traveller's long passphrase", false);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static List<JsonNode> sessionsOf(WebSession browser) {
        List<JsonNode> list = new ArrayList<>();
        WebSession.parse(browser.get("/api/v1/me/sessions").body()).forEach(list::add);
        return list;
    }

    @Test
    void aUserSeesEverySessionMarksTheCurrentOneAndCanEndAnother() {
        WebSession laptop = portal.signedIn("traveller@example.test", "traveller's long passphrase");
        WebSession phone = portal.signedIn("traveller@example.test", "traveller's long passphrase");

        List<JsonNode> seen = sessionsOf(laptop);

        assertThat(seen).hasSize(2);
        assertThat(seen).filteredOn(s -> s.path("current").asBoolean()).hasSize(1);
        assertThat(seen.getFirst().path("ip").asText()).isEqualTo("127.0.0.1");
        String other = seen.stream().filter(s -> !s.path("current").asBoolean()).findFirst().orElseThrow().path("id").asText();
        assertThat(laptop.delete("/api/v1/me/sessions/" + other).statusCode()).isEqualTo(204);
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(laptop.get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void nobodyCanEndSomeoneElsesSessionOrSeeIt() {
        WebSession traveller = portal.signedIn("traveller@example.test", "traveller's long passphrase");
        String travellersSession = sessionsOf(traveller).stream().filter(s -> s.path("current").asBoolean()).findFirst()
                .orElseThrow().path("id").asText();
        WebSession admin = portal.admin();

        var attempt = admin.delete("/api/v1/me/sessions/" + travellersSession);

        assertThat(attempt.statusCode()).isEqualTo(404);
        assertThat(traveller.get("/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(sessionsOf(admin)).noneMatch(s -> s.path("id").asText().equals(travellersSession));
    }
}
