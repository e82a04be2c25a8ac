package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in a real headless Chromium: sign in through the form (password, then the TOTP code), ask a question,
 * watch the answer stream in, and find the conversation again after a reload. The browser is required: if it is missing the test fails.
 */
class BrowserChatTest {

    private static final String MODEL = "scripted-model";
    private static final Pattern CONVERSATION_URL = Pattern.compile("/c/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$");

    /** One consistent snapshot of the last assistant bubble, taken inside the page: class list and text. */
    private static final String LAST_ANSWER = """
            const all = document.querySelectorAll('#messages .message.assistant');
            if (!all.length) return null;
            const m = all[all.length - 1];
            const t = m.querySelector('.text');
            return [m.className, t ? t.textContent : ''];""";

    static TestPortal portal;
    static ScriptedModelServer model;
    static HeadlessChromium chromium;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws IOException {
        portal = TestPortal.start();
        model = ScriptedModelServer.start();
        model.chunkDelay(Duration.ofMillis(150));
        portal.addProvider(portal.admin(), "Scripted", model.baseUrl(), "sk-test", MODEL);

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
            if (model != null) {
                model.close();
            }
            if (portal != null) {
                portal.close();
            }
        }
    }

    @Test
    void aPersonSignsInAsksAQuestionWatchesTheAnswerStreamInAndFindsTheConversationAgainAfterAReload() {
        String question = "What were our top customers last quarter?";
        String expectedAnswer = "You said: " + question;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));

        // Opening the portal without a session leads to the sign-in page.
        driver.get(portal.baseUrl() + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        assertThat(driver.getCurrentUrl()).contains("/login?next=");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        assertThat(driver.getTitle()).isEqualTo("Sign in · Gatehouse");
        screenshot("login.png");

        // Signing in with the form asks for the admin's authenticator code (set up by portal.admin() above), then
        // lands on the chat page.
        driver.findElement(By.id("email")).sendKeys(TestPortal.ADMIN_EMAIL);
        driver.findElement(By.id("password")).sendKeys(TestPortal.ADMIN_PASSWORD);
        driver.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertThat(driver.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/mfa");
        screenshot("mfa.png");
        driver.findElement(By.id("code")).sendKeys(portal.authenticator.nextCode(TestPortal.ADMIN_EMAIL));
        driver.findElement(By.id("verify")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
        assertThat(driver.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/");
        assertThat(driver.getTitle()).isEqualTo("Chat · Gatehouse");
        assertThat(new Select(driver.findElement(By.id("model"))).getFirstSelectedOption().getText()).isEqualTo(MODEL);
        assertThat(driver.findElements(By.cssSelector("#messages .message"))).isEmpty();

        // Typing a question and pressing Send: the answer streams into the assistant bubble.
        WebElement message = driver.findElement(By.id("message"));
        message.sendKeys(question);
        driver.findElement(By.id("send")).click();

        Set<String> partials = new LinkedHashSet<>();
        List<String> finalState = new ArrayList<>();
        new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(20)).until(d -> {
            @SuppressWarnings("unchecked")
            List<String> snapshot = (List<String>) ((JavascriptExecutor) d).executeScript(LAST_ANSWER);
            if (snapshot == null) {
                return false;
            }
            List<String> classes = List.of(snapshot.get(0).split("\\s+"));
            String text = snapshot.get(1);
            if (classes.contains("complete") || classes.contains("error")) {
                finalState.addAll(snapshot);
                return true;
            }
            if (classes.contains("streaming") && !text.isEmpty()) {
                partials.add(text);
            }
            return false;
        });

        // The full text may already be there a moment before "done" arrives (the server stores the answer first),
        // so only strictly shorter prefixes count as partial answers.
        assertThat(partials).as("texts seen while streaming").allSatisfy(p -> assertThat(expectedAnswer).startsWith(p));
        assertThat(partials.stream().filter(p -> !p.equals(expectedAnswer)))
                .as("distinct partial answers seen while streaming").hasSizeGreaterThanOrEqualTo(2);
        assertThat(finalState.get(0).split("\\s+")).contains("message", "assistant", "complete").doesNotContain("streaming", "error");
        WebElement answer = lastAnswer();
        assertThat(answer.findElement(By.className("text")).getText()).isEqualTo(expectedAnswer);
        assertThat(answer.findElement(By.className("meta")).getText()).contains(MODEL);
        assertThat(driver.findElement(By.cssSelector("#messages .message.user .text")).getText()).isEqualTo(question);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
        assertThat(driver.findElement(By.id("message")).getDomProperty("value")).isEmpty();

        // The new conversation shows up in the sidebar and the address bar now points at it.
        wait.until(ExpectedConditions.urlMatches(CONVERSATION_URL.pattern()));
        Matcher url = CONVERSATION_URL.matcher(driver.getCurrentUrl());
        assertThat(url.find()).isTrue();
        String conversationId = url.group(1);
        WebElement entry = driver.findElement(By.cssSelector("#conversation-list li.active a"));
        assertThat(entry.getText()).isEqualTo(question);
        assertThat(entry.getDomAttribute("href")).isEqualTo("/c/" + conversationId);

        // After a reload the page is rendered by the server, from what it stored.
        driver.navigate().refresh();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages .message"), 2));
        List<WebElement> shown = driver.findElements(By.cssSelector("#messages .message"));
        assertThat(shown.get(0).getDomAttribute("class").split("\\s+")).contains("user");
        assertThat(shown.get(0).findElement(By.className("text")).getText()).isEqualTo(question);
        assertThat(shown.get(1).getDomAttribute("class").split("\\s+")).contains("assistant", "complete");
        assertThat(shown.get(1).findElement(By.className("text")).getText()).isEqualTo(expectedAnswer);
        assertThat(shown.get(1).findElement(By.className("meta")).getText()).contains(MODEL);
        assertThat(driver.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/c/" + conversationId);
        assertThat(driver.findElements(By.cssSelector("#conversation-list li a"))).extracting(WebElement::getText).containsExactly(question);
        assertThat(driver.findElement(By.cssSelector("#conversation-list li.active a")).getDomAttribute("href"))
                .isEqualTo("/c/" + conversationId);
        assertThat(driver.findElement(By.id("composer")).getDomAttribute("data-conversation-id")).isEqualTo(conversationId);
        screenshot("chat.png");

        // Nothing went wrong in the page: no script errors, no Content-Security-Policy refusals, no missing files.
        assertThat(chromium.consoleProblems()).as("browser console warnings and errors").isEmpty();
    }

    private static WebElement lastAnswer() {
        List<WebElement> answers = driver.findElements(By.cssSelector("#messages .message.assistant"));
        assertThat(answers).isNotEmpty();
        return answers.getLast();
    }

    private static void screenshot(String name) {
        chromium.screenshot(name);
    }
}
