package io.gatehouse.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin filters the trail, pages through it, sees export links carry the filters, and verifies the chain. */
class AuditPageBrowserTest {

    static final String P = "page" + UUID.randomUUID().toString().substring(0, 8);
    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        portal.admin(); // sets up the admin's second factor, as the first sign-in would
        AuditTrail trail = portal.bean(AuditTrail.class);
        for (int i = 1; i <= 60; i++) {
            AuditEvent.Builder event = AuditEvent.of(P + ".call").actor(UUID.randomUUID(), "user" + i + "@example.test")
                    .connector("demo").detail("i", i).detail("note", "say \"hi\", <b>bold</b>");
            trail.record(i == 60 ? event.denied() : event);
        }
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anAdminFiltersPagesExportsAndVerifiesOnThePage() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/audit");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rows-table")));
            assertThat(d.findElement(By.cssSelector(".topbar nav a.active")).getText()).isEqualTo("Audit");

            d.findElement(By.id("f-action")).sendKeys(P + ".");
            d.findElement(By.id("f-connector")).sendKeys("demo");
            d.findElement(By.cssSelector("#audit-filters button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows tr:first-child"), "user60@example.test"));
            assertThat(d.findElements(By.cssSelector("#rows tr"))).hasSize(50);
            String newest = d.findElement(By.cssSelector("#rows tr:first-child")).getText();
            assertThat(newest).contains(P + ".call", "Denied", "demo", "2026-11-25 09:00:00");
            // Details as compact JSON text, markup shown as text, not rendered.
            assertThat(d.findElement(By.cssSelector("#rows tr:first-child td.audit-details")).getText())
                    .isEqualTo("{\"i\":60,\"note\":\"say \\\"hi\\\", <b>bold</b>\"}");
            assertThat(d.findElement(By.id("export-csv")).getAttribute("href"))
                    .endsWith("/api/v1/admin/audit/export?action=" + P + ".&connector=demo&format=csv");
            assertThat(d.findElement(By.id("export-jsonl")).getAttribute("href")).endsWith("&format=jsonl");
            assertThat(d.findElement(By.id("page-newer")).isDisplayed()).isFalse();
            chromium.screenshot("audit-filtered.png");

            d.findElement(By.id("page-older")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 10));
            assertThat(d.findElement(By.cssSelector("#rows tr:last-child")).getText()).contains("user1@example.test");
            assertThat(d.findElement(By.id("page-older")).isDisplayed()).isFalse();
            assertThat(d.findElement(By.id("page-position")).getText()).isEqualTo("Rows 51–60 (newest first)");
            d.findElement(By.id("page-newer")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 50));
            assertThat(d.findElement(By.cssSelector("#rows tr:first-child")).getText()).isEqualTo(newest);

            new Select(d.findElement(By.id("f-outcome"))).selectByValue("DENIED");
            d.findElement(By.cssSelector("#audit-filters button[type=submit]")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 1));

            assertThat(d.findElement(By.id("chain-state")).getText()).isEqualTo("The chain has not been verified yet");
            d.findElement(By.id("verify-now")).click();
            wait.until(ExpectedConditions.textToBe(By.id("chain-state"), "The chain is intact"));
            assertThat(d.findElement(By.id("chain")).getAttribute("data-state")).isEqualTo("intact");
            assertThat(d.findElement(By.id("chain-detail")).getText()).contains("rows checked", "by " + TestPortal.ADMIN_EMAIL);
            chromium.screenshot("audit-verified.png");

            // Another visit shows the last check, read back from the trail.
            d.get(portal.baseUrl() + "/admin/audit");
            wait.until(ExpectedConditions.textToBe(By.id("chain-state"), "The chain is intact"));
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }
}
