package io.gatehouse.stack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations and indexes of the portal's chat history (chat.ConversationStore, ops mongo-dump/-restore). */
class MongoWireServerTest {

    @TempDir
    Path dir;

    private MongoWireServer start() throws Exception {
        return MongoWireServer.start(MongoWireSettings.from(Map.of("MONGO_WIRE_DATA_DIR", dir.resolve("data").toString(),
                "MONGO_WIRE_BIND", "127.0.0.1", "MONGO_WIRE_PORT", "0")));
    }

    static MongoClient client(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port + "/gatehouse");
    }

    @Test
    void theChatHistoryOperationsOfThePortalWork() throws Exception {
        try (MongoWireServer server = start(); MongoClient client = client(server.address().getPort())) {
            MongoDatabase db = client.getDatabase("gatehouse");
            assertThat(db.runCommand(new Document("ping", 1)).get("ok")).isIn(1, 1.0);
            MongoCollection<Document> conversations = db.getCollection("conversations");
            MongoCollection<Document> messages = db.getCollection("messages");
            createPortalIndexes(conversations, messages);
            createPortalIndexes(conversations, messages); // the portal creates them on every start

            String alice = UUID.randomUUID().toString();
            String bob = UUID.randomUUID().toString();
            Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
            String c1 = UUID.randomUUID().toString();
            String c2 = UUID.randomUUID().toString();
            String c3 = UUID.randomUUID().toString();
            conversations.insertOne(conversation(c1, alice, t0));
            conversations.insertOne(conversation(c2, alice, t0.plusSeconds(60)));
            conversations.insertOne(conversation(c3, bob, t0.plusSeconds(120)));
            for (int i = 0; i < 150; i++) {
                messages.insertOne(new Document("_id", new ObjectId()).append("conversationId", c1).append("userId", alice)
                        .append("role", i % 2 == 0 ? "user" : "assistant").append("text", "m" + i).append("model", null)
                        .append("inputTokens", i).append("outputTokens", 0).append("status", "OK").append("error", null)
                        .append("toolSteps", List.of(new Document("connector", "sql").append("tool", "query")
                                .append("error", false).append("durationMillis", 12L).append("rows", 3)))
                        .append("removals", List.of()).append("html", "<p>m</p>")
                        .append("createdAt", Date.from(t0.plusSeconds(i))));
            }
            messages.insertOne(new Document("_id", new ObjectId()).append("conversationId", c3).append("userId", bob)
                    .append("text", "bob").append("createdAt", Date.from(t0)));

            // find scoped to the owner
            assertThat(conversations.find(Filters.and(Filters.eq("_id", c1), Filters.eq("userId", alice))).first()).isNotNull();
            assertThat(conversations.find(Filters.and(Filters.eq("_id", c1), Filters.eq("userId", bob))).first()).isNull();
            // recent: sort descending + limit
            List<String> recent = new ArrayList<>();
            conversations.find(Filters.eq("userId", alice)).sort(Sorts.descending("updatedAt")).limit(1)
                    .forEach(d -> recent.add(d.getString("_id")));
            assertThat(recent).containsExactly(c2);
            // append: updateOne with combined $set
            Date later = Date.from(t0.plusSeconds(3600));
            assertThat(conversations.updateOne(Filters.eq("_id", c1),
                    Updates.combine(Updates.set("updatedAt", later), Updates.set("model", "gpt-x"))).getModifiedCount()).isEqualTo(1);
            Document updated = conversations.find(Filters.eq("_id", c1)).first();
            assertThat(updated.getDate("updatedAt")).isEqualTo(later);
            assertThat(updated.getString("model")).isEqualTo("gpt-x");
            // messages in order through a cursor with small batches (more than one getMore)
            List<String> texts = new ArrayList<>();
            try (MongoCursor<Document> cursor = messages.find(Filters.eq("conversationId", c1))
                    .sort(Sorts.ascending("createdAt", "_id")).batchSize(100).iterator()) {
                cursor.forEachRemaining(d -> texts.add(d.getString("text")));
            }
            assertThat(texts).hasSize(150).startsWith("m0", "m1").endsWith("m149");
            Document first = messages.find(Filters.eq("conversationId", c1)).sort(Sorts.ascending("createdAt", "_id")).first();
            assertThat(first.getList("toolSteps", Document.class).getFirst().getInteger("rows")).isEqualTo(3);
            assertThat(first.getObjectId("_id")).isNotNull();
            // projection
            Document owner = conversations.find(Filters.eq("_id", c3)).projection(Projections.include("userId")).first();
            assertThat(owner.keySet()).containsExactlyInAnyOrder("_id", "userId");
            // counts
            assertThat(conversations.countDocuments(Filters.eq("userId", alice))).isEqualTo(2);
            assertThat(messages.countDocuments(Filters.eq("userId", alice))).isEqualTo(150);
            // idle conversations: $lt on a date, $nin, sort on two keys
            List<String> idle = new ArrayList<>();
            conversations.find(Filters.and(Filters.lt("updatedAt", Date.from(t0.plusSeconds(600))), Filters.nin("userId", List.of(bob)),
                    Filters.nin("_id", List.of()))).sort(Sorts.ascending("updatedAt", "_id")).limit(10)
                    .forEach(d -> idle.add(d.getString("_id")));
            assertThat(idle).containsExactly(c2);
            // deleteIfIdle: conditional deleteOne, then deleteMany
            assertThat(conversations.deleteOne(Filters.and(Filters.eq("_id", c1), Filters.lt("updatedAt", Date.from(t0))))
                    .getDeletedCount()).isZero();
            assertThat(conversations.deleteOne(Filters.and(Filters.eq("_id", c1), Filters.lt("updatedAt", Date.from(t0.plusSeconds(7200)))))
                    .getDeletedCount()).isEqualTo(1);
            assertThat(messages.deleteMany(Filters.eq("conversationId", c1)).getDeletedCount()).isEqualTo(150);
            // deleteAllOf
            assertThat(conversations.deleteMany(Filters.eq("userId", bob)).getDeletedCount()).isEqualTo(1);
            assertThat(messages.deleteMany(Filters.eq("userId", bob)).getDeletedCount()).isEqualTo(1);

            // dump and restore (ops): list collections, read all, drop, insertMany
            assertThat(db.listCollectionNames().into(new ArrayList<>())).contains("conversations", "messages");
            List<Document> all = conversations.find().into(new ArrayList<>());
            conversations.drop();
            assertThat(db.listCollectionNames().into(new ArrayList<>())).doesNotContain("conversations");
            conversations.insertMany(all);
            assertThat(conversations.countDocuments()).isEqualTo(all.size());
        }
    }

    @Test
    void dataAndIndexesAreThereAfterARestartOnTheSameFile() throws Exception {
        String id = UUID.randomUUID().toString();
        try (MongoWireServer server = start(); MongoClient client = client(server.address().getPort())) {
            MongoDatabase db = client.getDatabase("gatehouse");
            createPortalIndexes(db.getCollection("conversations"), db.getCollection("messages"));
            db.getCollection("conversations").insertOne(conversation(id, "u1", Instant.parse("2025-02-03T04:05:06Z")));
        }
        try (MongoWireServer server = start(); MongoClient client = client(server.address().getPort())) {
            MongoDatabase db = client.getDatabase("gatehouse");
            Document found = db.getCollection("conversations").find(Filters.eq("_id", id)).first();
            assertThat(found).isNotNull();
            assertThat(found.getDate("updatedAt").toInstant()).isEqualTo(Instant.parse("2025-02-03T04:05:06Z"));
            List<String> indexes = new ArrayList<>();
            db.getCollection("conversations").listIndexes().forEach(d -> indexes.add(d.getString("name")));
            assertThat(indexes).contains("_id_", "userId_1_updatedAt_-1", "updatedAt_1");
            List<String> messageIndexes = new ArrayList<>();
            db.getCollection("messages").listIndexes().forEach(d -> messageIndexes.add(d.getString("name")));
            assertThat(messageIndexes).contains("conversationId_1_createdAt_1", "userId_1");
        }
    }

    @Test
    void theIdIndexStaysUnique() throws Exception {
        try (MongoWireServer server = start(); MongoClient client = client(server.address().getPort())) {
            MongoCollection<Document> conversations = client.getDatabase("gatehouse").getCollection("conversations");
            conversations.insertOne(new Document("_id", "same"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> conversations.insertOne(new Document("_id", "same")))
                    .hasMessageContaining("duplicate key");
        }
    }

    static void createPortalIndexes(MongoCollection<Document> conversations, MongoCollection<Document> messages) {
        conversations.createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("updatedAt")));
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("conversationId"), Indexes.ascending("createdAt")));
        conversations.createIndex(Indexes.ascending("updatedAt"));
        messages.createIndex(Indexes.ascending("userId"));
    }

    static Document conversation(String id, String user, Instant at) {
        return new Document("_id", id).append("userId", user).append("title", "t " + id).append("model", "m")
                .append("createdAt", Date.from(at)).append("updatedAt", Date.from(at));
    }
}
