package io.gatehouse.approval;

import static io.gatehouse.approval.ActionFixtures.WRITE;
import static io.gatehouse.approval.ActionFixtures.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a person does: asks in the chat for a payment, sees the held call as an approval card with the exact
 * arguments, approves it, and sees the result on the card. An admin approves a colleague's call and reviews an
 * Audited one on the approvals page.
 */
class ApprovalCardBrowserTest {

    static ActionFixtures fx;

    @BeforeAll
    static void start() {
        fx = new ActionFixtures();
        String self = fx.role("Payments clerk", Map.of("trustLevel", "SUPERVISED", "approver", "REQUESTER"));
        String adminApproved = fx.role("Payments junior", Map.of("trustLevel", "SUPERVISED", "approver", "ADMIN"));
        String audited = fx.role("Payments senior", Map.of("trustLevel", "AUDITED"));
        fx.person("clerk@example.test", self);
        fx.person("junior@example.test", adminApproved);
        fx.person("senior@example.test", audited);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void theApprovalCardShowsTheExactCallAndApprovingRunsItAndShowsTheResult() throws Exception {
        String args = insert("Card & Sons", "250.75");
        fx.model.enqueue(new ScriptedModelServer.ToolCall(WRITE, args),
                ScriptedModelServer.text("The payment waits for your approval."));
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
            signIn(d, wait, "clerk@example.test", null);

            d.findElement(By.id("message")).sendKeys("Pay Card & Sons 250.75 euros");
            d.findElement(By.id("send")).click();

            WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#messages .approval-card[data-status='PENDING']")));
            assertThat(card.findElement(By.className("approval-status")).getText()).isEqualTo("Waiting for approval");
            assertThat(card.findElement(By.className("approval-facts")).getText()).contains("ledger").contains("execute_statement")
                    .contains("Expires");
            assertThat(card.findElement(By.className("approval-args")).getText())
                    .isEqualTo("{\n  \"sql\" : \"insert into payments (payee, amount) values ('Card & Sons', 250.75)\"\n}");
            assertThat(card.findElement(By.className("approval-hash")).getText()).contains(ApprovalRequest.sha256(args));
            // The card sits in the answer whose tool step asked for it.
            WebElement answer = card.findElement(By.xpath(".."));
            assertThat(answer.getAttribute("class")).contains("message").contains("assistant");
            assertThat(answer.findElement(By.cssSelector("details.tool-step code")).getAttribute("textContent")).isEqualTo(args);
            assertThat(fx.payments("Card & Sons")).isEmpty();
            chromium.screenshot("approval-card.png");

            card.findElement(By.cssSelector("button.approve")).click();

            WebElement done = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#messages .approval-card[data-status='EXECUTED']")));
            assertThat(done.findElement(By.className("approval-status")).getText()).isEqualTo("Approved and run");
            assertThat(done.findElement(By.className("approval-outcome")).getText()).contains("\"affectedRows\":1");
            assertThat(done.findElements(By.cssSelector("button.approve"))).isEmpty();
            assertThat(fx.payments("Card & Sons")).containsExactly("Card & Sons 250.75");
            chromium.screenshot("approval-executed.png");

            // After a reload the card is still there, under its tool step, with the result.
            d.navigate().refresh();
            WebElement again = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#messages .approval-card[data-status='EXECUTED']")));
            assertThat(again.findElement(By.className("approval-outcome")).getText()).contains("\"affectedRows\":1");
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }

    @Test
    void anAdminApprovesAColleaguesCallAndReviewsAnAuditedOneOnTheApprovalsPage() throws Exception {
        fx.ask(fx.signIn("junior@example.test"), WRITE, insert("Queue GmbH", "310"));
        fx.ask(fx.signIn("senior@example.test"), WRITE, insert("Audit AB", "20"));
        assertThat(fx.payments("Queue GmbH")).isEmpty();
        assertThat(fx.payments("Audit AB")).containsExactly("Audit AB 20.00");

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
            signIn(d, wait, TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
            d.get(fx.portal.baseUrl() + "/admin/approvals");

            WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#to-decide .approval-card[data-status='PENDING']")));
            assertThat(card.findElement(By.className("approval-facts")).getText()).contains("junior@example.test");
            assertThat(card.findElement(By.className("approval-args")).getText()).contains("Queue GmbH");
            WebElement review = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#review-rows tr")));
            assertThat(review.getText()).contains("senior@example.test").contains("Audit AB").contains("affectedRows");
            chromium.screenshot("approval-admin-queue.png");

            card.findElement(By.className("approval-comment")).sendKeys("Checked against the invoice");
            card.findElement(By.cssSelector("button.approve")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#to-decide .approval-card[data-status='EXECUTED']")));
            review.findElement(By.className("review-note")).sendKeys("Looks right");
            review.findElement(By.className("mark-reviewed")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("review-rows"), "Reviewed by " + TestPortal.ADMIN_EMAIL));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent-rows"), "Queue GmbH"));
            assertThat(fx.payments("Queue GmbH")).containsExactly("Queue GmbH 310.00");
            ((JavascriptExecutor) d).executeScript("window.scrollTo(0, 0)");
            chromium.screenshot("approval-admin-decided.png");
            assertThat(chromium.consoleProblems()).isEmpty();
        }
    }

    private static void signIn(WebDriver d, WebDriverWait wait, String email, String adminPassword) {
        d.get(fx.portal.baseUrl() + "/login");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(email);
        d.findElement(By.id("password")).sendKeys(adminPassword == null ? ActionFixtures.PASSWORD : adminPassword);
        d.findElement(By.id("sign-in")).click();
        if (adminPassword != null) {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code"))).sendKeys(fx.portal.authenticator.nextCode(email));
            d.findElement(By.id("verify")).click();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
    }
}
