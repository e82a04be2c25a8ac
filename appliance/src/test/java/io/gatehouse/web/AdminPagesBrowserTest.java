package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of the portal opens in a real browser on a fresh installation (empty lists everywhere) without
 * a script error, a CSP refusal or an error message on the page.
 */
class AdminPagesBrowserTest {

    static TestPortal portal;

    static final List<String> PAGES = List.of("/", "/tokens", "/sessions", "/account/security", "/account/password",
            "/admin/users", "/admin/access", "/admin/roles", "/admin/identity-providers", "/admin/models", "/admin/connectors",
            "/approvals", "/admin/approvals", "/admin/guardrails", "/admin/kill-switch", "/admin/usage", "/admin/budgets",
            "/admin/audit", "/admin/retention", "/admin/siem");

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        portal.admin(); // sets up the admin's authenticator
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void everyPageOpensCleanly() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            for (String page : PAGES) {
                d.get(portal.baseUrl() + page);
                wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
                Thread.sleep(300); // let the page's script finish its first fetches
                assertThat(d.getCurrentUrl()).as(page).isEqualTo(portal.baseUrl() + page);
                List<String> shownErrors = d.findElements(By.cssSelector(".error")).stream().filter(WebElement::isDisplayed)
                        .map(WebElement::getText).filter(t -> !t.isBlank()).toList();
                assertThat(shownErrors).as("errors shown on " + page).isEmpty();
                assertThat(chromium.consoleProblems()).as("console on " + page).isEmpty();
            }
        }
    }
}
