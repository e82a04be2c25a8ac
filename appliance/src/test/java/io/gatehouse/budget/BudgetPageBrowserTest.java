package io.gatehouse.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin gives a person a 10,000-token budget for one model and everyone a request rate on the budgets page. */
class BudgetPageBrowserTest {

    static ScriptedModelServer model;
    static TestPortal portal;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start(java.util.Map.of("GATEHOUSE_TIME_ZONE", "Europe/Berlin"));
        WebSession admin = portal.admin(); // sets up the admin's second factor, as the first sign-in would
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a");
        portal.bean(UserAccounts.class).createLocal("ana@example.test", null, BudgetFixtures.PASSWORD, false);
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void anAdminSetsAPersonalModelBudgetAndADefaultRateOnThePage() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/budgets");
            wait.until(ExpectedConditions.textToBe(By.id("time-zone"), "Europe/Berlin"));
            assertThat(d.findElement(By.id("resets-on")).getText()).isEqualTo("2026-12-01");
            new Select(d.findElement(By.id("rule-scope"))).selectByValue("USER");
            d.findElement(By.id("rule-email")).sendKeys("ana@example.test");
            new Select(d.findElement(By.id("rule-model"))).selectByValue("model-a");
            d.findElement(By.id("rule-tokens")).sendKeys("10000");
            d.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-rows"), "ana@example.test"));
            assertThat(d.findElement(By.id("user-rows")).getText()).contains("model-a", "10,000", "from roles");
            assertThat(d.findElement(By.id("budget-saved")).getText()).contains("ana@example.test", "10,000 tokens");

            d.findElement(By.id("rate-value")).sendKeys("30");
            d.findElement(By.cssSelector("#rate-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBe(By.id("rate-default"), "30 a minute"));
            assertThat(chromium.consoleProblems()).isEmpty();

            new Select(d.findElement(By.id("rule-scope"))).selectByValue("GLOBAL");
            assertThat(d.findElement(By.id("rule-email-label")).isDisplayed()).isFalse();
            assertThat(d.findElement(By.id("rule-role-label")).isDisplayed()).isFalse();
            d.findElement(By.id("rule-tokens")).clear();
            d.findElement(By.id("rule-tokens")).sendKeys("-5");
            // The browser's own min=0 check would stop the form; the API's message is what a script would see.
            ((org.openqa.selenium.JavascriptExecutor) d).executeScript("document.getElementById('rule-tokens').removeAttribute('min')");
            d.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("budget-error")));
            assertThat(d.findElement(By.id("budget-error")).getText()).isEqualTo("A monthly token budget is 0 or more (empty for no limit).");
            chromium.screenshot("budgets.png");
            assertThat(chromium.consoleProblems()).singleElement().asString().contains("/api/v1/admin/budgets/rules", "400");
        }
    }
}
