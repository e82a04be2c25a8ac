package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProviderAdminTest {

    static final String SECRET_KEY = "sk-live-THIS-MUST-NEVER-BE-STORED-IN-CLEAR";
    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        model.requireApiKey(SECRET_KEY);
        portal = TestPortal.start();
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    private static Map<String, Object> form(String name, String baseUrl, String apiKey, String... models) {
        Map<String, Object> form = new HashMap<>();
        form.put("name", name);
        form.put("kind", "openai");
        form.put("baseUrl", baseUrl);
        form.put("apiKey", apiKey);
        form.put("models", java.util.Arrays.stream(models)
                .map(m -> Map.of("name", m, "inputPricePerMtok", 0.15, "outputPricePerMtok", 0.6)).toList());
        return form;
    }

    @Test
    void theApiKeyIsEncryptedAtRestAndStillWorksForCalls() throws Exception {
        var created = admin.postJson("/api/v1/admin/providers", form("Encrypted", model.baseUrl(), SECRET_KEY, "enc-model"));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode view = WebSession.parse(created.body());
        assertThat(view.path("hasApiKey").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain(SECRET_KEY);

        try (var sql = portal.sql(); var rows = sql.createStatement().executeQuery("select * from model_providers where name = 'Encrypted'")) {
            assertThat(rows.next()).isTrue();
            byte[] cipher = rows.getBytes("api_key_cipher");
            assertThat(new String(cipher, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET_KEY).doesNotContain("sk-live");
            assertThat(cipher.length).isEqualTo(1 + 12 + SECRET_KEY.length() + 16);
            for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                assertThat(String.valueOf(rows.getObject(c))).doesNotContain(SECRET_KEY);
            }
        }
        var answer = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "ping", "model", "enc-model"));
        assertThat(answer.named("done")).hasSize(1);
        assertThat(model.authorizationHeaders().getLast()).isEqualTo("Bearer " + SECRET_KEY);
    }

    @Test
    void aCiphertextCopiedToAnotherProviderDoesNotDecrypt() throws Exception {
        admin.postJson("/api/v1/admin/providers", form("Source", model.baseUrl(), SECRET_KEY, "src-model"));
        admin.postJson("/api/v1/admin/providers", form("Target", model.baseUrl(), "sk-other", "tgt-model"));
        try (var sql = portal.sql()) {
            sql.createStatement().execute("update model_providers set api_key_cipher = "
                    + "(select api_key_cipher from model_providers where name = 'Source') where name = 'Target'");
        }

        portal.bean(ModelCatalog.class).refresh();

        assertThat(portal.bean(ModelCatalog.class).find("tgt-model")).isEmpty();
        assertThat(portal.bean(ModelCatalog.class).find("src-model")).isPresent();
    }

    @Test
    void updatingWithoutAKeyKeepsTheStoredKeyAndAnEmptyKeyRemovesIt() {
        JsonNode created = WebSession.parse(admin.postJson("/api/v1/admin/providers", form("Keep", model.baseUrl(), SECRET_KEY, "keep-model")).body());
        String id = created.path("id").asText();

        Map<String, Object> rename = form("Keep renamed", model.baseUrl(), null, "keep-model");
        JsonNode kept = WebSession.parse(admin.putJson("/api/v1/admin/providers/" + id, rename).body());
        Map<String, Object> clear = form("Keep renamed", model.baseUrl(), "", "keep-model");
        JsonNode cleared = WebSession.parse(admin.putJson("/api/v1/admin/providers/" + id, clear).body());

        assertThat(kept.path("name").asText()).isEqualTo("Keep renamed");
        assertThat(kept.path("hasApiKey").asBoolean()).isTrue();
        assertThat(cleared.path("hasApiKey").asBoolean()).isFalse();
    }

    @Test
    void invalidProvidersAreRefusedWithAReason() {
        var noModels = admin.postJson("/api/v1/admin/providers", form("None", model.baseUrl(), null));
        var badUrl = admin.postJson("/api/v1/admin/providers", form("Bad URL", "file:///etc/passwd", null, "m1"));
        var badKind = admin.postJson("/api/v1/admin/providers", new HashMap<>(Map.of("name", "K", "kind", "mystery",
                "baseUrl", model.baseUrl(), "models", List.of(Map.of("name", "m2")))));
        admin.postJson("/api/v1/admin/providers", form("First", model.baseUrl(), null, "shared-name"));
        var duplicateModel = admin.postJson("/api/v1/admin/providers", form("Second", model.baseUrl(), null, "shared-name"));

        assertThat(noModels.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(noModels.body()).path("detail").asText()).contains("at least one model");
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(badUrl.body()).path("detail").asText()).contains("http or https");
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(badKind.body()).path("detail").asText()).contains("openai");
        assertThat(duplicateModel.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(duplicateModel.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:model-name-taken");
    }

    @Test
    void deletingAProviderRemovesItsModelsFromChatAndApi() {
        JsonNode created = WebSession.parse(admin.postJson("/api/v1/admin/providers", form("Gone", model.baseUrl(), null, "gone-model")).body());

        assertThat(admin.delete("/api/v1/admin/providers/" + created.path("id").asText()).statusCode()).isEqualTo(204);

        assertThat(admin.postForEvents("/api/v1/chat/messages", Map.of("message", "hi", "model", "gone-model")).status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/admin/providers/" + created.path("id").asText()).statusCode()).isEqualTo(404);
    }

    @Test
    void providerKindsListTheOpenAiCompatibleKind() {
        JsonNode kinds = WebSession.parse(admin.get("/api/v1/admin/provider-kinds").body());

        assertThat(kinds.findValuesAsText("kind")).contains("openai");
    }
}
