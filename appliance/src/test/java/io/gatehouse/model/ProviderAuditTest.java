package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.AuditedRows;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider changes leave audit rows: created, updated (what changed), the API key changed (never the key), each
 * model's price change with before and after, deleted. A change the trail cannot record is refused and the prices
 * in use stay as they were.
 */
class ProviderAuditTest {

    static final String AGENT = "provider-audit-test/1.0";
    static final String FIRST_KEY = "sk-first-key-0123456789";
    static final String SECOND_KEY = "sk-second-key-9876543210";

    static TestPortal portal;
    static WebSession admin;
    static UUID adminId;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        adminId = AuditedRows.userId(portal, TestPortal.ADMIN_EMAIL);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static Map<String, Object> form(String name, String apiKey, String model, String input, String output) {
        Map<String, Object> form = new java.util.HashMap<>();
        form.put("name", name);
        form.put("kind", "openai");
        form.put("baseUrl", "http://127.0.0.1:9/v1");
        form.put("apiKey", apiKey);
        form.put("models", List.of(Map.of("name", model, "inputPricePerMtok", new BigDecimal(input), "outputPricePerMtok", new BigDecimal(output))));
        return form;
    }

    private static void assertFrom(AuditedRows.Row row, HttpResponse<String> response) {
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.ip()).isEqualTo("127.0.0.1");
        assertThat(row.userAgent()).isEqualTo(AGENT);
        assertThat(row.requestId()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void aPriceChangeAKeyChangeAndTheProvidersLifeLeaveTheirRowsWithoutTheKey() {
        long before = AuditedRows.lastSeq(portal);
        HttpResponse<String> created = admin.postJson("/api/v1/admin/providers", form("Priced", FIRST_KEY, "priced-model", "1", "2"),
                "User-Agent", AGENT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = WebSession.parse(created.body()).path("id").asText();
        AuditedRows.Row create = AuditedRows.only(portal, before, "provider.created");
        assertFrom(create, created);
        assertThat(create.targetType()).isEqualTo("provider");
        assertThat(create.targetId()).isEqualTo(id);
        assertThat(create.details().path("apiKeySet").asBoolean()).isTrue();

        long beforePrice = AuditedRows.lastSeq(portal);
        HttpResponse<String> repriced = admin.putJson("/api/v1/admin/providers/" + id, form("Priced", null, "priced-model", "1", "2.50"),
                "User-Agent", AGENT);
        assertThat(repriced.statusCode()).as(repriced.body()).isEqualTo(200);
        AuditedRows.Row price = AuditedRows.only(portal, beforePrice, "model.prices_changed");
        assertFrom(price, repriced);
        assertThat(price.targetType()).isEqualTo("model");
        assertThat(price.targetId()).isEqualTo("priced-model");
        assertThat(price.details().path("providerId").asText()).isEqualTo(id);
        assertThat(price.details().path("inputPricePerMtokBefore").asText()).isEqualTo("1");
        assertThat(price.details().path("inputPricePerMtok").asText()).isEqualTo("1");
        assertThat(price.details().path("outputPricePerMtokBefore").asText()).isEqualTo("2");
        assertThat(price.details().path("outputPricePerMtok").asText()).isEqualTo("2.5");
        AuditedRows.Row update = AuditedRows.only(portal, beforePrice, "provider.updated");
        assertFrom(update, repriced);
        assertThat(update.details().path("apiKeyChanged").asBoolean()).isFalse();
        assertThat(AuditedRows.since(portal, beforePrice, "provider.api_key_changed")).isEmpty();

        long beforeKey = AuditedRows.lastSeq(portal);
        admin.putJson("/api/v1/admin/providers/" + id, form("Priced", FIRST_KEY, "priced-model", "1", "2.50"));
        assertThat(AuditedRows.since(portal, beforeKey, "provider.api_key_changed")).as("the same key again").isEmpty();
        HttpResponse<String> rekeyed = admin.putJson("/api/v1/admin/providers/" + id, form("Priced", SECOND_KEY, "priced-model", "1", "2.50"),
                "User-Agent", AGENT);
        assertThat(rekeyed.statusCode()).isEqualTo(200);
        AuditedRows.Row key = AuditedRows.only(portal, beforeKey, "provider.api_key_changed");
        assertFrom(key, rekeyed);
        assertThat(key.details().path("change").asText()).isEqualTo("replaced");

        long beforeDelete = AuditedRows.lastSeq(portal);
        HttpResponse<String> deleted = admin.delete("/api/v1/admin/providers/" + id, "User-Agent", AGENT);
        assertThat(deleted.statusCode()).isEqualTo(204);
        AuditedRows.Row delete = AuditedRows.only(portal, beforeDelete, "provider.deleted");
        assertFrom(delete, deleted);
        assertThat(delete.details().path("models").toString()).isEqualTo("[\"priced-model\"]");

        for (String action : List.of("provider.created", "provider.updated", "provider.api_key_changed", "model.prices_changed", "provider.deleted")) {
            for (AuditedRows.Row row : AuditedRows.since(portal, before, action)) {
                assertThat(row.details().toString()).doesNotContain(FIRST_KEY).doesNotContain(SECOND_KEY);
            }
        }
    }

    @Test
    void aPriceChangeTheTrailCannotRecordIsRefusedAndThePricesInUseStay() throws Exception {
        HttpResponse<String> created = admin.postJson("/api/v1/admin/providers", form("Steady", "", "steady-model", "3", "4"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = WebSession.parse(created.body()).path("id").asText();

        HttpResponse<String> refused;
        try (AutoCloseable trail = AuditedRows.refusingAll(portal)) {
            refused = admin.putJson("/api/v1/admin/providers/" + id, form("Steady", null, "steady-model", "30", "40"));
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(WebSession.parse(refused.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:audit-unavailable");
        var stored = WebSession.parse(admin.get("/api/v1/admin/providers/" + id).body()).path("models").get(0);
        assertThat(stored.path("inputPricePerMtok").decimalValue()).isEqualByComparingTo("3");
        AvailableModel inUse = portal.bean(ModelCatalog.class).find("steady-model").orElseThrow();
        assertThat(inUse.inputPricePerMtok()).isEqualByComparingTo("3");
        assertThat(inUse.outputPricePerMtok()).isEqualByComparingTo("4");
    }
}
