package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void livenessAndReadinessAreUpWithBothStoresReachable() {
        var health = portal.browser().get("/health");
        var readiness = portal.browser().get("/health/readiness");
        var liveness = portal.browser().get("/health/liveness");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(health.body()).path("status").asText()).isEqualTo("UP");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    @Test
    void readinessIsDownWhenMongoDbIsUnreachable() {
        try (TestPortal broken = TestPortal.start()) {
            broken.stopMongo();

            var readiness = broken.browser().get("/health/readiness");

            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(WebSession.parse(readiness.body()).path("status").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void healthDoesNotDiscloseConnectionDetails() {
        assertThat(portal.browser().get("/health").body()).doesNotContain("jdbc:").doesNotContain("mongodb://");
    }
}
