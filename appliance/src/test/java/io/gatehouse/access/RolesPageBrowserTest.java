package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
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

/** An admin sets up a Finance role on the Roles page: query invoices freely, any write only after approval. */
class RolesPageBrowserTest {

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;
    static String financeRole;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        portal.addDemoConnector(admin, "erp");
        financeRole = WebSession.parse(admin.postJson("/api/v1/admin/roles", Map.of("name", "Finance")).body()).path("id").asText();
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void anAdminGrantsFinanceQueriesAndSupervisedWritesOnTheRolesPage() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
            chromium.signInAsAdmin(portal);

            d.get(portal.baseUrl() + "/admin/roles");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("grants-form")));
            new Select(d.findElement(By.id("role-picker"))).selectByVisibleText("Finance");
            wait.until(ExpectedConditions.textToBe(By.id("role-title"), "Finance"));
            d.findElement(By.cssSelector("#model-boxes input[value='tool-model']")).click();
            new Select(d.findElement(By.cssSelector("tr[data-tool='run_query'] select.grant"))).selectByValue("READ");
            new Select(d.findElement(By.cssSelector("tr[data-tool='execute_statement'] select.grant"))).selectByValue("ACTION:SUPERVISED");
            new Select(d.findElement(By.cssSelector("tr[data-tool='execute_statement'] select.approver"))).selectByValue("OTHER_PERSON");
            d.findElement(By.id("system-prompt")).sendKeys("Amounts are in euros.");
            d.findElement(By.cssSelector("#grants-form button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("saved")));
            chromium.screenshot("roles-finance.png");
            assertThat(chromium.consoleProblems()).isEmpty();
        }

        JsonNode grants = WebSession.parse(admin.get("/api/v1/admin/roles/" + financeRole + "/grants").body());
        assertThat(grants.path("models").toString()).isEqualTo("[\"tool-model\"]");
        assertThat(grants.path("systemPrompt").asText()).isEqualTo("Amounts are in euros.");
        assertThat(grants.path("tools")).hasSize(2);
        for (JsonNode tool : grants.path("tools")) {
            if (tool.path("tool").asText().equals("run_query")) {
                assertThat(tool.path("access").asText()).isEqualTo("READ");
            } else {
                assertThat(tool.path("tool").asText()).isEqualTo("execute_statement");
                assertThat(tool.path("trustLevel").asText()).isEqualTo("SUPERVISED");
                assertThat(tool.path("approver").asText()).isEqualTo("OTHER_PERSON");
            }
        }
    }
}
