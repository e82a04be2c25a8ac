package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.RoleRepository;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API and page for identity providers and group mappings: validation, secrets, who may use them. */
class IdentityProviderAdminTest {

    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void everyInvalidFieldIsA400ProblemNamingTheField() {
        Map<String, Map<String, Object>> cases = Map.of(
                "slug", valid(Map.of("slug", "Not a slug!")),
                "displayName", valid(Map.of("displayName", " ")),
                "kind", valid(Map.of("kind", "SAML")),
                "discoveryUrl", valid(Map.of("discoveryUrl", "http://sso.example.com/realms/corp")),
                "clientId", valid(Map.of("clientId", "")),
                "entraTenant", valid(Map.of("kind", "ENTRA", "entraTenant", "")),
                "clientSecret", valid(Map.of("kind", "GOOGLE")),
                "scopes", valid(Map.of("scopes", "email profile")),
                "groupClaim", valid(Map.of("groupClaim", "group claim")));
        cases.forEach((field, form) -> {
            HttpResponse<String> response = admin.postJson("/api/v1/admin/identity-providers", form);

            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            JsonNode problem = WebSession.parse(response.body());
            assertThat(problem.path("type").asText()).isEqualTo("urn:gatehouse:problem:invalid-identity-provider");
            assertThat(problem.path("field").asText()).as(problem.toString()).isEqualTo(field);
        });
        assertThat(admin.get("/api/v1/admin/identity-providers").body()).doesNotContain("\"slug\":\"corp\"");
    }

    @Test
    void aProviderIsListedWithItsRedirectUriAndWithoutItsSecret() {
        HttpResponse<String> created = admin.postJson("/api/v1/admin/identity-providers", Map.of("slug", "contoso",
                "displayName", "Contoso", "kind", "ENTRA", "entraTenant", "organizations", "clientId", "app-id",
                "clientSecret", "entra-SECRET-value-1", "groupClaim", "groups"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = WebSession.parse(created.body());
        assertThat(view.path("discoveryUrl").asText())
                .isEqualTo("https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration");
        assertThat(view.path("entraTenant").asText()).isEqualTo("organizations");
        assertThat(view.path("hasClientSecret").asBoolean()).isTrue();
        assertThat(view.path("scopes").asText()).isEqualTo("openid email profile");
        assertThat(view.path("redirectUri").asText()).isEqualTo(portal.baseUrl() + "/sso/contoso/callback");
        assertThat(admin.get("/api/v1/admin/identity-providers").body()).contains("contoso").doesNotContain("entra-SECRET-value-1");
        assertThat(created.body()).doesNotContain("entra-SECRET-value-1");
    }

    @Test
    void behindAProxyTheRedirectUriUsesTheForwardedScheme() {
        admin.postJson("/api/v1/admin/identity-providers", Map.of("slug", "proxied", "displayName", "Proxied", "kind", "GOOGLE",
                "clientId", "g-id", "clientSecret", "g-secret"));

        HttpResponse<String> list = admin.get("/api/v1/admin/identity-providers", "X-Forwarded-Proto", "https");

        assertThat(list.body()).contains("\"redirectUri\":\"https://" + portal.baseUrl().replaceFirst("^http://", "") + "/sso/proxied/callback\"");
    }

    @Test
    void anUpdateWithABlankSecretKeepsTheStoredOneAndADuplicateSlugIsAConflict() {
        String id = WebSession.parse(admin.postJson("/api/v1/admin/identity-providers", valid(Map.of("slug", "keep",
                "clientSecret", "kept-secret"))).body()).path("id").asText();

        HttpResponse<String> updated = admin.putJson("/api/v1/admin/identity-providers/" + id, valid(Map.of("slug", "keep",
                "displayName", "Renamed", "clientSecret", "")));
        HttpResponse<String> duplicate = admin.postJson("/api/v1/admin/identity-providers", valid(Map.of("slug", "keep")));

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(updated.body()).path("displayName").asText()).isEqualTo("Renamed");
        assertThat(WebSession.parse(updated.body()).path("hasClientSecret").asBoolean()).isTrue();
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(duplicate.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:identity-provider-slug-taken");
    }

    @Test
    void aProviderCanBeDisabledEnabledAndDeleted() {
        String id = WebSession.parse(admin.postJson("/api/v1/admin/identity-providers", valid(Map.of("slug", "brief"))).body())
                .path("id").asText();

        assertThat(WebSession.parse(admin.postJson("/api/v1/admin/identity-providers/" + id + "/disable", Map.of()).body())
                .path("enabled").asBoolean()).isFalse();
        assertThat(portal.browser().get("/login").body()).doesNotContain("/sso/brief/start");
        assertThat(WebSession.parse(admin.postJson("/api/v1/admin/identity-providers/" + id + "/enable", Map.of()).body())
                .path("enabled").asBoolean()).isTrue();
        assertThat(portal.browser().get("/login").body()).contains("/sso/brief/start");
        assertThat(admin.delete("/api/v1/admin/identity-providers/" + id).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = admin.get("/api/v1/admin/identity-providers/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(WebSession.parse(gone.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:identity-provider-not-found");
    }

    @Test
    void groupMappingsNeedAGroupAndAnExistingRole() {
        String analyst = portal.bean(RoleRepository.class).findByNameIgnoreCase("Analyst").orElseThrow().id().toString();

        HttpResponse<String> noGroup = admin.postJson("/api/v1/admin/group-mappings", Map.of("groupName", " ", "roleId", analyst));
        HttpResponse<String> noRole = admin.postJson("/api/v1/admin/group-mappings",
                Map.of("groupName", "analysts", "roleId", "00000000-0000-0000-0000-00000000ffff"));
        HttpResponse<String> added = admin.postJson("/api/v1/admin/group-mappings", Map.of("groupName", "analysts", "roleId", analyst));
        HttpResponse<String> again = admin.postJson("/api/v1/admin/group-mappings", Map.of("groupName", "analysts", "roleId", analyst));

        assertThat(noGroup.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(noGroup.body()).path("field").asText()).isEqualTo("groupName");
        assertThat(noRole.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(noRole.body()).path("field").asText()).isEqualTo("roleId");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(WebSession.parse(added.body()).path("roleName").asText()).isEqualTo("Analyst");
        assertThat(again.statusCode()).isEqualTo(409);
        String id = WebSession.parse(added.body()).path("id").asText();
        assertThat(admin.get("/api/v1/admin/group-mappings").body()).contains("\"groupName\":\"analysts\"");
        assertThat(admin.delete("/api/v1/admin/group-mappings/" + id).statusCode()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/admin/group-mappings/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void peopleWhoAreNotAdminsGet403AndStrangers401() {
        portal.bean(UserAccounts.class).createLocal("member@example.test", "Member", "a long enough passphrase 44", false);
        WebSession member = portal.signedIn("member@example.test", "a long enough passphrase 44");
        WebSession stranger = portal.browser();

        assertThat(member.get("/api/v1/admin/identity-providers").statusCode()).isEqualTo(403);
        assertThat(member.postJson("/api/v1/admin/identity-providers", valid(Map.of("slug", "sneaky"))).statusCode()).isEqualTo(403);
        assertThat(member.get("/api/v1/admin/group-mappings").statusCode()).isEqualTo(403);
        assertThat(member.postJson("/api/v1/admin/group-mappings", Map.of("groupName", "x", "roleId", "x")).statusCode()).isEqualTo(403);
        assertThat(member.get("/admin/identity-providers").statusCode()).isEqualTo(403);
        assertThat(stranger.get("/api/v1/admin/identity-providers").statusCode()).isEqualTo(401);
        assertThat(stranger.get("/api/v1/admin/group-mappings").statusCode()).isEqualTo(401);
        HttpResponse<String> page = stranger.get("/admin/identity-providers");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
        assertThat(admin.get("/api/v1/admin/identity-providers").body()).doesNotContain("sneaky");
    }

    @Test
    void theAdminPageShowsWhereToRegisterTheRedirectUri() {
        HttpResponse<String> page = admin.get("/admin/identity-providers");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-public-base=\"" + portal.baseUrl() + "\"")
                .contains("<script src=\"/static/identity-providers.js\"></script>").doesNotContain("<script>");
        assertThat(portal.browser().get("/static/identity-providers.js").statusCode()).isEqualTo(200);
    }

    private static Map<String, Object> valid(Map<String, Object> overrides) {
        Map<String, Object> form = new HashMap<>(Map.of("slug", "corp", "displayName", "Corp", "kind", "OIDC",
                "discoveryUrl", "https://sso.example.com/realms/corp", "clientId", "gatehouse"));
        form.putAll(overrides);
        return form;
    }
}
