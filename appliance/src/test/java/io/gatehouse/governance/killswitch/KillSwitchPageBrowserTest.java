package io.gatehouse.governance.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin pulls the big switch and one model's switch on the panel, sees state and history, and switches both back on. */
class KillSwitchPageBrowserTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        portal.admin(); // sets up the admin's second factor, as the first sign-in would
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anAdminSwitchesEverythingAndOneModelOffOnThePanelAndBackOn() throws Exception {
        KillSwitch killSwitch = portal.bean(KillSwitch.class);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/kill-switch");
            wait.until(ExpectedConditions.textToBe(By.id("global-state"), "AI assistance is on"));
            d.findElement(By.id("global-reason")).sendKeys("Model answers leak customer emails");
            d.findElement(By.id("global-button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("global-state"), "All AI assistance is switched off"));
            assertThat(d.findElement(By.id("global-panel")).getAttribute("data-engaged")).isEqualTo("true");
            assertThat(d.findElement(By.id("global-detail")).getText()).contains(TestPortal.ADMIN_EMAIL, "Model answers leak customer emails");
            assertThat(killSwitch.isTripped(KillSwitch.Scope.GLOBAL, "")).isTrue();

            new Select(d.findElement(By.id("switch-scope"))).selectByValue("MODEL");
            d.findElement(By.id("switch-target")).sendKeys("gpt-4o");
            d.findElement(By.id("switch-reason")).sendKeys("Vendor incident");
            d.findElement(By.cssSelector("#switch-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("engaged-rows"), "gpt-4o"));
            assertThat(d.findElement(By.id("engaged-rows")).getText()).contains("Model", "gpt-4o", "Vendor incident", TestPortal.ADMIN_EMAIL);
            assertThat(killSwitch.isTripped(KillSwitch.Scope.MODEL, "gpt-4o")).isTrue();
            // The history is fetched after the state: wait for it rather than racing it.
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-rows tr"), 2));
            chromium.screenshot("kill-switch-engaged.png");

            d.findElement(By.cssSelector("#engaged-rows button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("none-engaged")));
            d.findElement(By.id("global-button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("global-state"), "AI assistance is on"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-rows tr"), 4));
            assertThat(d.findElement(By.cssSelector("#history-rows tr")).getText()).contains("Switched on", "Everything");
            assertThat(killSwitch.isTripped(KillSwitch.Scope.GLOBAL, "")).isFalse();
            assertThat(killSwitch.isTripped(KillSwitch.Scope.MODEL, "gpt-4o")).isFalse();
            chromium.screenshot("kill-switch-released.png");
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }
}
