package io.gatehouse.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.TestPortal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** In a real headless Chromium: an admin's first sign-in goes through setting up an authenticator app. */
class MfaBrowserTest {

    static TestPortal portal;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        portal = TestPortal.start();
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (portal != null) {
                portal.close();
            }
        }
    }

    @Test
    void anAdminsFirstSignInSetsUpTheAuthenticatorShowsTheRecoveryCodesAndThenOpensTheAdminPage() {
        ChromeDriver driver = chromium.driver();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));

        driver.get(portal.baseUrl() + "/login?next=/admin/models");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(TestPortal.ADMIN_EMAIL);
        driver.findElement(By.id("password")).sendKeys(TestPortal.ADMIN_PASSWORD);
        driver.findElement(By.id("sign-in")).click();

        WebElement qr = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("qr-code")));
        assertThat(driver.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/mfa/enrol?next=%2Fadmin%2Fmodels");
        assertThat(qr.getDomProperty("naturalWidth")).as("the QR image loaded under the CSP").isNotEqualTo("0");
        String secret = driver.findElement(By.id("totp-secret")).getText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        chromium.screenshot("mfa-enrol.png");

        portal.authenticator.remember(TestPortal.ADMIN_EMAIL, secret);
        driver.findElement(By.id("code")).sendKeys(portal.authenticator.nextCode(TestPortal.ADMIN_EMAIL));
        driver.findElement(By.id("confirm")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-codes")));
        assertThat(driver.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
        chromium.screenshot("mfa-recovery-codes.png");
        // "Continue" goes where the admin was going before the set-up interrupted them.
        driver.findElement(By.id("continue")).click();
        wait.until(ExpectedConditions.urlToBe(portal.baseUrl() + "/admin/models"));
        assertThat(driver.getTitle()).isNotEqualTo("Set up two-factor authentication · Gatehouse");
        assertThat(driver.getCurrentUrl()).isEqualTo(portal.baseUrl() + "/admin/models");
        assertThat(chromium.consoleProblems()).as("browser console warnings and errors").isEmpty();
    }
}
