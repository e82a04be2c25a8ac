package io.gatehouse.mfa;

import static io.gatehouse.mfa.MfaFixtures.enrolled;
import static io.gatehouse.mfa.MfaFixtures.person;
import static io.gatehouse.mfa.MfaFixtures.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browser's forms: the challenge page, the set-up page and the account's two-factor page, without script. */
class MfaPagesTest {

    private static final Pattern SECRET = Pattern.compile("<code id=\"totp-secret\">([A-Z2-7]{32})</code>");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>");

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static WebSession formSignIn(String email) {
        WebSession browser = portal.browser();
        HttpResponse<String> login = browser.postForm("/login", Map.of("email", email, "password", MfaFixtures.PASSWORD, "next", "/"));
        assertThat(login.statusCode()).isEqualTo(303);
        return browser;
    }

    private static HttpResponse<String> page(WebSession browser, String path) {
        return browser.get(path, "Accept", "text/html");
    }

    @Test
    void theChallengePageSignsInWithACodeAndGoesOnlyToALocalPage() {
        String email = person(portal, "pageuser", false);
        enrolled(portal, email);
        WebSession browser = formSignIn(email);

        HttpResponse<String> home = page(browser, "/");
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).contains("/mfa");
        HttpResponse<String> challenge = page(browser, "/mfa?next=/tokens");
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).contains("action=\"/mfa\"").contains("name=\"code\"").contains("name=\"recoveryCode\"")
                .contains("value=\"/tokens\"").doesNotContain("<script>");

        HttpResponse<String> wrong = browser.postForm("/mfa", Map.of("code", "000000", "next", "/tokens"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("The code is not correct.").contains("action=\"/mfa\"");

        String before = sessionCookie(browser);
        HttpResponse<String> passed = browser.postForm("/mfa", Map.of("code", portal.authenticator.nextCode(email), "next", "/tokens"));
        assertThat(passed.statusCode()).isEqualTo(303);
        assertThat(passed.headers().firstValue("Location")).contains("/tokens");
        assertThat(sessionCookie(browser)).isNotEqualTo(before);
        assertThat(page(browser, "/tokens").statusCode()).isEqualTo(200);
        assertThat(page(browser, "/mfa").headers().firstValue("Location")).as("nothing owed any more").contains("/");

        WebSession other = formSignIn(email);
        HttpResponse<String> evil = other.postForm("/mfa", Map.of("code", portal.authenticator.nextCode(email), "next", "//evil.example/x"));
        assertThat(evil.headers().firstValue("Location")).contains("/");
    }

    @Test
    void anAdminSetsUpMfaOnThePageSeesTheRecoveryCodesOnceAndGoesOn() {
        String email = person(portal, "pageadmin", true);
        WebSession browser = formSignIn(email);

        HttpResponse<String> gated = page(browser, "/admin/models");
        assertThat(gated.statusCode()).isEqualTo(303);
        assertThat(gated.headers().firstValue("Location")).contains("/mfa/enrol?next=%2Fadmin%2Fmodels");
        HttpResponse<String> setUp = page(browser, "/mfa/enrol?next=/admin/models");
        assertThat(setUp.statusCode()).isEqualTo(200);
        assertThat(setUp.body()).contains("src=\"data:image/svg+xml;base64,").contains("Administrators must use two-factor authentication");
        Matcher secret = SECRET.matcher(setUp.body());
        assertThat(secret.find()).isTrue();
        assertThat(page(browser, "/mfa/enrol").body()).as("a reload shows the QR code already scanned").contains(secret.group(1));
        portal.authenticator.remember(email, secret.group(1));

        HttpResponse<String> wrong = browser.postForm("/mfa/enrol", Map.of("action", "confirm", "code", "000000", "next", "/admin/models"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code does not match").contains(secret.group(1));

        String before = sessionCookie(browser);
        HttpResponse<String> done = browser.postForm("/mfa/enrol",
                Map.of("action", "confirm", "code", portal.authenticator.nextCode(email), "next", "/admin/models"));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(RECOVERY_CODE.matcher(done.body()).results().count()).isEqualTo(10);
        assertThat(done.body()).contains("href=\"/admin/models\"");
        assertThat(sessionCookie(browser)).isNotEqualTo(before);
        assertThat(page(browser, "/admin/models").statusCode()).isEqualTo(200);
        assertThat(page(browser, "/mfa/enrol").headers().firstValue("Location")).as("on: changes start from the account page")
                .contains("/account/security");
    }

    @Test
    void theAccountPageTurnsMfaOnReplacesRecoveryCodesAndTurnsItOff() {
        String email = person(portal, "account", false);
        WebSession browser = portal.signedIn(email, MfaFixtures.PASSWORD);

        HttpResponse<String> off = page(browser, "/account/security");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.body()).contains("Two-factor authentication").contains("href=\"/mfa/enrol\"");

        Matcher secret = SECRET.matcher(page(browser, "/mfa/enrol").body());
        assertThat(secret.find()).isTrue();
        portal.authenticator.remember(email, secret.group(1));
        HttpResponse<String> done = browser.postForm("/mfa/enrol", Map.of("action", "confirm", "code", portal.authenticator.nextCode(email)));
        assertThat(done.body()).contains("href=\"/account/security\"");

        HttpResponse<String> on = page(browser, "/account/security");
        assertThat(on.body()).contains("<strong>on</strong>").contains("action=\"/account/security/disable\"");

        HttpResponse<String> wrong = browser.postForm("/account/security/recovery-codes", Map.of("code", "000000"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("That code is not correct");
        HttpResponse<String> replaced = browser.postForm("/account/security/recovery-codes", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(RECOVERY_CODE.matcher(replaced.body()).results().count()).isEqualTo(10);

        HttpResponse<String> turnedOff = browser.postForm("/account/security/disable", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(turnedOff.statusCode()).isEqualTo(200);
        assertThat(turnedOff.body()).contains("Two-factor authentication is off").contains("<strong>off</strong>");
    }

    @Test
    void anAdminsAccountPageHasNoWayToTurnMfaOff() {
        HttpResponse<String> mine = page(portal.admin(), "/account/security");

        assertThat(mine.body()).contains("<strong>on</strong>").doesNotContain("action=\"/account/security/disable\"")
                .contains("Administrators must keep two-factor authentication on.");
    }
}
