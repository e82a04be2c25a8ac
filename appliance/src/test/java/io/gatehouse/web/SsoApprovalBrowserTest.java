package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.AccessPolicy;
import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole way in, in two real headless Chromium browsers: a new employee signs in through the company's
 * OpenID Connect provider (mock-oauth2-server on loopback), waits on the approval page; an admin signs in
 * (password + authenticator code), approves them on the Users page with a role; the employee reloads and
 * chats. Screenshots under target/screenshots/sso-*.png.
 */
class SsoApprovalBrowserTest {

    private static final String ISSUER_ID = "acme";
    private static final String MODEL = "scripted-model";
    private static final String EMPLOYEE = "erin@acme.test";

    static MockOAuth2Server idp;
    static ScriptedModelServer model;
    static TestPortal portal;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_OIDC_SLUG", "acme");
        env.put("GATEHOUSE_OIDC_DISPLAY_NAME", "Acme SSO");
        env.put("GATEHOUSE_OIDC_DISCOVERY_URL", idp.issuerUrl(ISSUER_ID).toString());
        env.put("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse");
        env.put("GATEHOUSE_OIDC_CLIENT_SECRET", "acme-client-secret");
        portal = TestPortal.start(env);
        portal.bean(AccessPolicy.class).addDomain("acme.test");
        model = ScriptedModelServer.start();
        portal.addProvider(portal.admin(), "Scripted", model.baseUrl(), "sk-test", MODEL); // admin enrols MFA here
    }

    @AfterAll
    static void stop() {
        model.close();
        portal.close();
        idp.shutdown();
    }

    private static WebDriverWait waitIn(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @Test
    void anEmployeeSignsInThroughTheIdentityProviderWaitsIsApprovedByAnAdminAndChats() throws Exception {
        try (HeadlessChromium employee = HeadlessChromium.start(); HeadlessChromium admin = HeadlessChromium.start()) {
            // 1. The employee picks the company sign-in; the provider vouches for a verified email.
            idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "erin-subject-1", "JWT", null,
                    Map.of("email", EMPLOYEE, "email_verified", true, "name", "Erin Example"), 3600));
            WebDriver e = employee.driver();
            e.get(portal.baseUrl() + "/");
            waitIn(e).until(ExpectedConditions.elementToBeClickable(By.id("sso-acme"))).click();
            waitIn(e).until(ExpectedConditions.urlToBe(portal.baseUrl() + "/pending"));
            assertThat(e.findElement(By.tagName("h1")).getText()).isEqualTo("Waiting for approval");
            assertThat(e.findElement(By.tagName("main")).getText()).contains(EMPLOYEE);
            employee.screenshot("sso-pending.png");

            // Still waiting: the chat is out of reach.
            e.get(portal.baseUrl() + "/");
            assertThat(e.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/pending");

            // 2. An admin signs in with password and authenticator code, and approves them as an Analyst.
            WebDriver a = admin.driver();
            a.get(portal.baseUrl() + "/login");
            a.findElement(By.id("email")).sendKeys(TestPortal.ADMIN_EMAIL);
            a.findElement(By.id("password")).sendKeys(TestPortal.ADMIN_PASSWORD);
            a.findElement(By.id("sign-in")).click();
            waitIn(a).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")))
                    .sendKeys(portal.authenticator.nextCode(TestPortal.ADMIN_EMAIL));
            a.findElement(By.id("verify")).click();
            waitIn(a).until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
            a.get(portal.baseUrl() + "/admin/users");
            WebElement row = waitIn(a).until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//tbody[@id='pending-rows']/tr[td[1][text()='" + EMPLOYEE + "']]")));
            assertThat(row.getText()).contains("Erin Example").contains("Acme SSO");
            row.findElement(By.xpath(".//label[contains(., 'Analyst')]/input")).click();
            admin.screenshot("sso-approval-queue.png");
            row.findElement(By.className("approve")).click();
            waitIn(a).until(ExpectedConditions.visibilityOfElementLocated(By.id("no-pending")));
            WebElement approved = waitIn(a).until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//tbody[@id='user-rows']/tr[contains(td[1], '" + EMPLOYEE + "')]")));
            assertThat(approved.getText()).contains("active").contains("Analyst");
            admin.screenshot("sso-approved.png");
            assertThat(admin.consoleProblems()).as("script errors or CSP refusals on the admin pages").isEmpty();

            // 3. The employee's same session now reaches the chat, and the model answers.
            model.enqueue(ScriptedModelServer.text("Hello Erin, ", "welcome aboard."));
            e.get(portal.baseUrl() + "/");
            waitIn(e).until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
            e.findElement(By.id("message")).sendKeys("Hi, I am new here.");
            e.findElement(By.id("send")).click();
            waitIn(e).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#messages .message.assistant.complete .text"), "Hello Erin, welcome aboard."));
            employee.screenshot("sso-chat.png");
            assertThat(employee.consoleProblems()).as("script errors or CSP refusals on the employee's pages").isEmpty();
        }
    }
}
