package io.gatehouse.retention;

import static io.gatehouse.retention.RetentionFixtures.assertProblem;
import static io.gatehouse.retention.RetentionFixtures.conversation;
import static io.gatehouse.retention.RetentionFixtures.exists;
import static io.gatehouse.retention.RetentionFixtures.lastAudit;
import static io.gatehouse.retention.RetentionFixtures.member;
import static io.gatehouse.retention.RetentionFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.chat.Conversation;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A person exports their own conversations; an admin exports (audited as viewing) or deletes someone's. */
class ChatDataTest {

    static TestPortal portal;
    static WebSession admin;
    static UUID alice;
    static UUID bob;
    static WebSession aliceBrowser;
    static List<Conversation> alicesChats = new ArrayList<>();
    static Conversation bobsChat;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        alice = member(portal, "alice@example.test");
        bob = member(portal, "bob@example.test");
        alicesChats.add(conversation(portal, alice, "Quarterly numbers", 2));
        portal.clock.advance(java.time.Duration.ofMinutes(1)); // the export lists conversations oldest first
        // Longer than one of the export's 16 KiB chunks, with text that needs escaping.
        Conversation longOne = conversation(portal, alice, "A \"long\" one, with\nnewlines ünd ümlauts", 40);
        alicesChats.add(longOne);
        bobsChat = conversation(portal, bob, "Bob's secret plans", 1);
        aliceBrowser = portal.signedIn("alice@example.test", RetentionFixtures.PASSWORD);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aPersonExportsExactlyTheirOwnConversationsWithEveryMessageAsAnAuditedAttachment() throws Exception {
        HttpResponse<String> response = aliceBrowser.get("/api/v1/me/export");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment").contains("filename=\"gatehouse-conversations-");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
        assertThat(response.body().length()).as("more than one chunk").isGreaterThan(16 * 1024);
        JsonNode export = WebSession.parse(response.body());
        assertThat(export.path("format").asText()).isEqualTo("gatehouse-conversations-v1");
        assertThat(export.path("user").path("email").asText()).isEqualTo("alice@example.test");
        assertThat(export.path("conversations").findValuesAsText("title")).containsExactly(alicesChats.get(0).title(), alicesChats.get(1).title());
        assertThat(response.body()).doesNotContain(bobsChat.id().toString()).doesNotContain("Bob's secret plans");
        ConversationStore store = portal.bean(ConversationStore.class);
        for (int i = 0; i < alicesChats.size(); i++) {
            JsonNode exported = export.path("conversations").get(i);
            List<io.gatehouse.chat.StoredMessage> stored = store.messages(alicesChats.get(i));
            assertThat(exported.path("id").asText()).isEqualTo(alicesChats.get(i).id().toString());
            assertThat(exported.path("messages")).hasSize(stored.size());
            for (int m = 0; m < stored.size(); m++) {
                JsonNode message = exported.path("messages").get(m);
                assertThat(message.path("id").asText()).isEqualTo(stored.get(m).id());
                assertThat(message.path("text").asText()).isEqualTo(stored.get(m).text());
                assertThat(message.path("role").asText()).isEqualTo(stored.get(m).role());
            }
        }
        JsonNode answer = export.path("conversations").get(0).path("messages").get(1);
        assertThat(answer.path("toolSteps").get(0).path("tool").asText()).isEqualTo("run_query");
        assertThat(answer.path("outputTokens").asInt()).isEqualTo(34);
        RetentionFixtures.Row row = lastAudit(portal, "chat.exported");
        assertThat(row.actorEmail()).isEqualTo("alice@example.test");
        assertThat(row.targetId()).isEqualTo(alice.toString());
        assertThat(row.details().path("conversations").asInt()).isEqualTo(2);
        assertThat(row.details().path("messages").asInt()).isEqualTo(4 + 80);
    }

    @Test
    void someoneWithoutConversationsGetsAnEmptyListAndWithoutASessionNothing() {
        member(portal, "carol@example.test");
        WebSession carol = portal.signedIn("carol@example.test", RetentionFixtures.PASSWORD);

        JsonNode export = ok(carol.get("/api/v1/me/export"));

        assertThat(export.path("conversations").isArray()).isTrue();
        assertThat(export.path("conversations")).isEmpty();
        assertProblem(portal.browser().get("/api/v1/me/export"), 401, "unauthenticated");
    }

    @Test
    void theAccountPageOffersTheDownload() {
        HttpResponse<String> page = aliceBrowser.get("/account/security", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"download-conversations\"", "action=\"/api/v1/me/export\"", "Download my conversations");
    }

    @Test
    void anAdminsExportOfSomeonesConversationsIsAuditedAsViewingTheirData() throws Exception {
        HttpResponse<String> response = admin.get("/api/v1/admin/users/" + bob + "/chat-export");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        JsonNode export = WebSession.parse(response.body());
        assertThat(export.path("user").path("id").asText()).isEqualTo(bob.toString());
        assertThat(export.path("conversations")).hasSize(1);
        assertThat(export.path("conversations").get(0).path("id").asText()).isEqualTo(bobsChat.id().toString());
        RetentionFixtures.Row viewed = lastAudit(portal, "user_data.viewed");
        assertThat(viewed.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(viewed.targetType()).isEqualTo("user");
        assertThat(viewed.targetId()).isEqualTo(bob.toString());
        assertThat(viewed.details().path("data").asText()).isEqualTo("chat-export");
        assertThat(viewed.details().path("conversations").asInt()).isEqualTo(1);
        assertProblem(admin.get("/api/v1/admin/users/" + UUID.randomUUID() + "/chat-export"), 404, "user-not-found");
    }

    @Test
    void anAdminDeletesAPersonsChatDataAndOnlyTheirsAndItIsAudited() throws Exception {
        UUID dave = member(portal, "dave@example.test");
        Conversation first = conversation(portal, dave, "first", 2);
        Conversation second = conversation(portal, dave, "second", 1);

        JsonNode deleted = ok(admin.delete("/api/v1/admin/users/" + dave + "/chat-data"));

        assertThat(deleted.path("conversationsDeleted").asInt()).isEqualTo(2);
        assertThat(deleted.path("messagesDeleted").asInt()).isEqualTo(6);
        assertThat(deleted.path("email").asText()).isEqualTo("dave@example.test");
        assertThat(exists(portal, first)).isFalse();
        assertThat(exists(portal, second)).isFalse();
        assertThat(portal.bean(ConversationStore.class).countsOf(dave)).isEqualTo(ConversationStore.Counts.NONE);
        assertThat(alicesChats).allMatch(c -> exists(portal, c));
        assertThat(exists(portal, bobsChat)).isTrue();
        RetentionFixtures.Row row = lastAudit(portal, "chat.deleted_by_admin");
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.targetId()).isEqualTo(dave.toString());
        assertThat(row.details().path("conversations").asInt()).isEqualTo(2);
        assertThat(row.details().path("messages").asInt()).isEqualTo(6);
        assertProblem(admin.delete("/api/v1/admin/users/" + UUID.randomUUID() + "/chat-data"), 404, "user-not-found");
    }

    @Test
    void aMemberCannotExportOrDeleteSomeoneElsesData() {
        assertProblem(aliceBrowser.get("/api/v1/admin/users/" + bob + "/chat-export"), 403, "forbidden");
        assertProblem(aliceBrowser.delete("/api/v1/admin/users/" + bob + "/chat-data"), 403, "forbidden");
        assertProblem(portal.browser().delete("/api/v1/admin/users/" + bob + "/chat-data"), 401, "unauthenticated");
        assertThat(exists(portal, bobsChat)).isTrue();
    }
}
