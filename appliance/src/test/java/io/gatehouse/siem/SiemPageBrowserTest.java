package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin points the export at a collector on the page, watches it catch up, and sends a test event. */
class SiemPageBrowserTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.withProperties(Map.of("gatehouse.siem.poll-interval", "100ms"));
        portal.admin(); // sets up the admin's second factor, as the first sign-in would
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anAdminConfiguresAnHttpCollectorAndSendsATestEvent() throws Exception {
        try (HttpCollectorServer collector = new HttpCollectorServer(); HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/siem");
            wait.until(ExpectedConditions.textToBe(By.id("status-title"), "Export is off"));
            new Select(d.findElement(By.id("transport"))).selectByValue("SYSLOG_TCP");
            assertThat(d.findElement(By.id("host")).isDisplayed()).isTrue();
            assertThat(d.findElement(By.id("url")).isDisplayed()).isFalse();
            new Select(d.findElement(By.id("transport"))).selectByValue("HTTP");
            d.findElement(By.id("url")).sendKeys(collector.url());
            d.findElement(By.id("authorization")).sendKeys("Bearer page-token-7");
            d.findElement(By.id("enabled")).click();
            d.findElement(By.id("save")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("siem-saved")));
            assertThat(d.findElement(By.id("authorization")).getAttribute("value")).isEmpty();
            assertThat(d.findElement(By.id("authorization-state")).getText()).contains("An Authorization value is stored");

            // The status refreshes every few seconds; the shipper catches up with the trail meanwhile.
            wait.until(ExpectedConditions.textToBe(By.id("status-title"), "Exporting: up to date"));
            assertThat(d.findElement(By.id("status-lag")).getText()).isEqualTo("0");
            assertThat(collector.received()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer page-token-7"));

            d.findElement(By.id("send-test")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-result"), "delivered to http://127.0.0.1:"));
            chromium.screenshot("siem-exporting.png");

            collector.answer(503);
            d.findElement(By.id("send-test")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-result"), "not delivered"));
            assertThat(d.findElement(By.id("test-result")).getText()).contains("answered HTTP 503");
            // The test row itself is in the trail, so the shipper now fails too and the panel says so.
            wait.until(ExpectedConditions.attributeToBe(By.id("status-panel"), "data-state", "failing"));
            assertThat(d.findElement(By.id("status-error")).getText()).contains("503");
            chromium.screenshot("siem-failing.png");
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }
}
