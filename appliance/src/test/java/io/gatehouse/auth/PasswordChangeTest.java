package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordChangeTest {

    private static final String OLD = "the first long passphrase";
    private static final String NEW = "a second quite different passphrase";
    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void changingThePasswordEndsEveryOtherSessionButKeepsThisOne() {
        portal.bean(UserAccounts.class).createLocal("changer@example.test", null, OLD, false);
        WebSession here = portal.signedIn("changer@example.test", OLD);
        WebSession elsewhere = portal.signedIn("changer@example.test", OLD);

        HttpResponse<String> changed = here.postJson("/api/v1/me/password", Map.of("currentPassword", OLD, "newPassword", NEW));

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(WebSession.parse(changed.body()).path("otherSessionsEnded").asInt()).isEqualTo(1);
        assertThat(here.get("/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(elsewhere.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", "changer@example.test", "password", OLD))
                .statusCode()).isEqualTo(401);
        assertThat(portal.signedIn("changer@example.test", NEW).get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void theCurrentPasswordIsRequiredAndTheNewOneMustMeetThePolicy() {
        portal.bean(UserAccounts.class).createLocal("careful@example.test", null, OLD, false);
        WebSession session = portal.signedIn("careful@example.test", OLD);

        HttpResponse<String> wrong = session.postJson("/api/v1/me/password", Map.of("currentPassword", "not it at all", "newPassword", NEW));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(wrong.body()).path("field").asText()).isEqualTo("currentPassword");
        HttpResponse<String> weak = session.postJson("/api/v1/me/password", Map.of("currentPassword", OLD, "newPassword", "password1234"));
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(portal.signedIn("careful@example.test", OLD).get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void thePageFormChangesThePasswordToo() {
        portal.bean(UserAccounts.class).createLocal("pageuser@example.test", null, OLD, false);
        WebSession session = portal.signedIn("pageuser@example.test", OLD);
        assertThat(session.get("/account/password", "Accept", "text/html").body()).contains("Change password");

        HttpResponse<String> differ = session.postForm("/account/password",
                Map.of("currentPassword", OLD, "newPassword", NEW, "repeatPassword", NEW + "x"));
        assertThat(differ.statusCode()).isEqualTo(400);
        assertThat(differ.body()).contains("differ");
        HttpResponse<String> done = session.postForm("/account/password",
                Map.of("currentPassword", OLD, "newPassword", NEW, "repeatPassword", NEW));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Your password is changed");
    }
}
