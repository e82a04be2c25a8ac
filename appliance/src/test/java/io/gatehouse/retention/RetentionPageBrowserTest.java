package io.gatehouse.retention;

import static io.gatehouse.retention.RetentionFixtures.conversation;
import static io.gatehouse.retention.RetentionFixtures.exists;
import static io.gatehouse.retention.RetentionFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.chat.Conversation;
import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An admin sets the periods on the page, holds one person's data, runs the purge (the held conversation stays,
 * the other goes), releases the hold and deletes that person's chat data.
 */
class RetentionPageBrowserTest {

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
    void anAdminSetsPeriodsHoldsAPersonPurgesReleasesAndDeletesOnThePage() throws Exception {
        UUID held = member(portal, "held@example.test");
        UUID other = member(portal, "other@example.test");
        Conversation heldChat = conversation(portal, held, "held", 1);
        Conversation otherChat = conversation(portal, other, "other", 1);
        portal.clock.advance(Duration.ofDays(40));
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);
            d.get(portal.baseUrl() + "/admin/retention");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("time-zone"), "UTC"));
            chromium.screenshot("retention-page.png");

            d.findElement(By.id("chat-days")).sendKeys("30");
            d.findElement(By.id("audit-days")).sendKeys("400");
            d.findElement(By.id("save-periods")).click();
            wait.until(ExpectedConditions.textToBe(By.id("rt-notice"), "Retention periods saved."));
            assertThat(d.findElement(By.id("periods-changed")).getText()).contains(TestPortal.ADMIN_EMAIL);

            d.findElement(By.id("hold-user")).sendKeys("held@example.test");
            d.findElement(By.id("hold-reason")).sendKeys("Case 2026-17");
            d.findElement(By.cssSelector("#hold-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("holds-rows"), "held@example.test"));
            assertThat(d.findElement(By.id("holds-rows")).getText()).contains("All chat data", "Case 2026-17", TestPortal.ADMIN_EMAIL);

            d.findElement(By.id("purge-now")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rt-notice"), "Purge done: 1 conversations, 2 messages"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#runs-rows tr"), 1));
            assertThat(exists(portal, otherChat)).isFalse();
            assertThat(exists(portal, heldChat)).isTrue();
            chromium.screenshot("retention-held-and-purged.png");

            d.findElement(By.id("person")).sendKeys("held@example.test");
            d.findElement(By.id("person-delete")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rt-error"), "legal hold"));
            assertThat(exists(portal, heldChat)).isTrue();

            d.findElement(By.cssSelector("#holds-rows input")).sendKeys("Case closed");
            d.findElement(By.cssSelector("#holds-rows button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-holds")));
            d.findElement(By.cssSelector("#released-holds summary")).click();
            assertThat(d.findElement(By.id("released-rows")).getText()).contains("held@example.test", "Case closed");

            d.findElement(By.id("person-delete")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("rt-notice"), "Deleted 1 conversations and 2 messages of held@example.test."));
            assertThat(exists(portal, heldChat)).isFalse();
            chromium.screenshot("retention-released-and-deleted.png");
            // The refused deletion is the only request that failed, as the browser logs any non-2xx answer.
            assertThat(chromium.consoleProblems()).singleElement().asString().contains("/chat-data", "409");
        }
    }
}
