package io.gatehouse.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NoModelTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void theChatPageSaysNoModelIsConfiguredAndLinksAdminsToTheModelsPage() {
        String page = portal.admin().get("/", "Accept", "text/html").body();

        assertThat(page).contains("No AI model is configured yet").contains("<a href=\"/admin/models\">Models page</a>");
        assertThat(page).doesNotContain("id=\"composer\"");
    }

    @Test
    void membersAreToldToAskTheirAdmin() {
        portal.bean(UserAccounts.class).createLocal("member@example.test", "Member", "member's long passphrase", false);

        String page = portal.signedIn("member@example.test", "member's long passphrase").get("/", "Accept", "text/html").body();

        assertThat(page).contains("No AI model is configured yet").contains("Ask your Gatehouse admin");
    }

    @Test
    void sendingAnywayGets503WithTheSameExplanation() {
        var result = portal.admin().postForEvents("/api/v1/chat/messages", Map.of("message", "hello"));

        assertThat(result.status()).isEqualTo(503);
        assertThat(WebSession.parse(result.raw()).path("detail").asText()).contains("No AI model is configured").contains("/admin/models");
    }
}
