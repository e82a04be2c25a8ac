package io.gatehouse.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin opens the usage page after a chat and finds the call, its figures, its fingerprints and the charts. */
class UsagePageBrowserTest {

    static ScriptedModelServer model;
    static TestPortal portal;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        WebSession admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "scripted-model");
        model.enqueue(ScriptedModelServer.text("Forty", "-two."));
        WebSession.SseResult chat = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Six times seven?", "model", "scripted-model"));
        assertThat(chat.named("done")).as(chat.raw()).hasSize(1);
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void anAdminFindsTheCallWithItsFiguresAndFingerprintsAndFiltersItAway() throws Exception {
        String requestHex = awaitRecordedRequestFingerprint();
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/usage");
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-rows tr"), 1));
            WebElement row = d.findElement(By.cssSelector("#calls-rows tr"));
            assertThat(row.getText()).contains(TestPortal.ADMIN_EMAIL, "scripted-model", "CHAT", "SUCCESS");
            WebElement fingerprint = row.findElements(By.tagName("code")).getFirst();
            assertThat(fingerprint.getText()).isEqualTo(requestHex.substring(0, 12));
            assertThat(fingerprint.getAttribute("title")).isEqualTo(requestHex);
            assertThat(d.findElement(By.id("total-calls")).getText()).isEqualTo("1");
            // One bar group for every day of November, and one bar for the model and the person.
            assertThat(d.findElements(By.cssSelector("#chart-day svg g[data-day]"))).hasSize(30);
            assertThat(d.findElements(By.cssSelector("#chart-model svg rect.bar"))).hasSize(1);
            assertThat(d.findElement(By.cssSelector("#table-user tbody")).getText()).contains(TestPortal.ADMIN_EMAIL);
            chromium.screenshot("usage-dashboard.png");

            new Select(d.findElement(By.id("filter-outcome"))).selectByValue("FAILURE");
            d.findElement(By.cssSelector("#usage-filters button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-calls")));
            wait.until(ExpectedConditions.textToBe(By.id("total-calls"), "0"));
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }

    private static String awaitRecordedRequestFingerprint() {
        String[] hex = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection c = portal.sql(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select request_sha256 from model_calls")) {
                if (rs.next()) {
                    hex[0] = HexFormat.of().formatHex(rs.getBytes(1));
                    return true;
                }
                return false;
            }
        });
        return hex[0];
    }
}
