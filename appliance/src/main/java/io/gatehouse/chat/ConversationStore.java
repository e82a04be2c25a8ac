package io.gatehouse.chat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** Conversations and messages in MongoDB; every read is scoped to the owning user. */
@Singleton
public final class ConversationStore {

    private final MongoCollection<Document> conversations;
    private final MongoCollection<Document> messages;
    private final Clock clock;

    ConversationStore(MongoDatabase database, Clock clock) {
        this.conversations = database.getCollection("conversations");
        this.messages = database.getCollection("messages");
        this.clock = clock;
        conversations.createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("updatedAt")));
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("conversationId"), Indexes.ascending("createdAt")));
        // For the retention purge (idle conversations) and for a person's export or deletion (all their messages).
        conversations.createIndex(Indexes.ascending("updatedAt"));
        messages.createIndex(Indexes.ascending("userId"));
    }

    public Conversation create(UUID userId, String title, String model) {
        Instant now = clock.instant();
        Conversation c = new Conversation(UUID.randomUUID(), userId, title, model, now, now);
        conversations.insertOne(new Document("_id", c.id().toString())
                .append("userId", userId.toString())
                .append("title", title)
                .append("model", model)
                .append("createdAt", Date.from(now))
                .append("updatedAt", Date.from(now)));
        return c;
    }

    public Optional<Conversation> find(UUID userId, UUID id) {
        Document d = conversations.find(Filters.and(Filters.eq("_id", id.toString()), Filters.eq("userId", userId.toString()))).first();
        return Optional.ofNullable(d).map(ConversationStore::conversation);
    }

    public List<Conversation> recent(UUID userId, int limit) {
        List<Conversation> out = new ArrayList<>();
        conversations.find(Filters.eq("userId", userId.toString())).sort(Sorts.descending("updatedAt")).limit(limit)
                .forEach(d -> out.add(conversation(d)));
        return out;
    }

    public StoredMessage append(Conversation conversation, String role, String text, @Nullable String model,
                                int inputTokens, int outputTokens, String status, @Nullable String error) {
        return append(conversation, role, text, model, inputTokens, outputTokens, status, error, List.of());
    }

    public StoredMessage append(Conversation conversation, String role, String text, @Nullable String model,
                                int inputTokens, int outputTokens, String status, @Nullable String error,
                                List<StoredMessage.ToolStep> toolSteps) {
        return append(conversation, role, text, model, inputTokens, outputTokens, status, error, toolSteps, List.of(), null);
    }

    /** With what the output guardrail removed and the sanitized HTML of the answer. */
    public StoredMessage append(Conversation conversation, String role, String text, @Nullable String model,
                                int inputTokens, int outputTokens, String status, @Nullable String error,
                                List<StoredMessage.ToolStep> toolSteps, List<String> removals, @Nullable String html) {
        Instant now = clock.instant();
        ObjectId id = new ObjectId();
        messages.insertOne(new Document("_id", id)
                .append("conversationId", conversation.id().toString())
                .append("userId", conversation.userId().toString())
                .append("role", role)
                .append("text", text)
                .append("model", model)
                .append("inputTokens", inputTokens)
                .append("outputTokens", outputTokens)
                .append("status", status)
                .append("error", error)
                .append("toolSteps", toolSteps.stream().map(ConversationStore::stepDocument).toList())
                .append("removals", removals)
                .append("html", html)
                .append("createdAt", Date.from(now)));
        conversations.updateOne(Filters.eq("_id", conversation.id().toString()),
                Updates.combine(Updates.set("updatedAt", Date.from(now)), Updates.set("model", model == null ? conversation.model() : model)));
        return new StoredMessage(id.toHexString(), role, text, model, inputTokens, outputTokens, status, error, now, toolSteps,
                List.copyOf(removals), html);
    }

    private static Document stepDocument(StoredMessage.ToolStep step) {
        return new Document("connector", step.connector()).append("tool", step.tool()).append("arguments", step.arguments())
                .append("error", step.error()).append("durationMillis", step.durationMillis()).append("rows", step.rows());
    }

    private static StoredMessage.ToolStep step(Document d) {
        return new StoredMessage.ToolStep(d.getString("connector"), d.getString("tool"), d.getString("arguments"),
                d.getBoolean("error", false), ((Number) d.get("durationMillis", 0L)).longValue(), d.getInteger("rows"));
    }

    public List<StoredMessage> messages(Conversation conversation) {
        List<StoredMessage> out = new ArrayList<>();
        messages.find(Filters.eq("conversationId", conversation.id().toString())).sort(Sorts.ascending("createdAt", "_id"))
                .forEach(d -> out.add(message(d)));
        return out;
    }

    private static StoredMessage message(Document d) {
        return new StoredMessage(d.getObjectId("_id").toHexString(), d.getString("role"), d.getString("text"),
                d.getString("model"), d.getInteger("inputTokens", 0), d.getInteger("outputTokens", 0),
                d.getString("status"), d.getString("error"), d.getDate("createdAt").toInstant(),
                d.getList("toolSteps", Document.class, List.of()).stream().map(ConversationStore::step).toList(),
                d.getList("removals", String.class, List.of()), d.getString("html"));
    }

    // Whole-history access for export, retention and an administrator's deletion (io.gatehouse.retention). These
    // are still scoped: to one owner, or to conversations idle since a cut-off; only ownerOf looks a conversation
    // up without its owner, for an administrator placing a legal hold on it.

    /** The ids of a person's conversations, oldest first: an export walks them one conversation at a time. */
    public List<UUID> conversationIds(UUID userId) {
        List<UUID> out = new ArrayList<>();
        conversations.find(Filters.eq("userId", userId.toString())).projection(Projections.include("_id"))
                .sort(Sorts.ascending("createdAt", "_id")).forEach(d -> out.add(UUID.fromString(d.getString("_id"))));
        return out;
    }

    /**
     * A conversation's messages in order, read through a cursor so only a batch is in memory at a time. Close the
     * stream (it holds the cursor).
     */
    public Stream<StoredMessage> streamMessages(Conversation conversation) {
        MongoCursor<Document> cursor = messages.find(Filters.eq("conversationId", conversation.id().toString()))
                .sort(Sorts.ascending("createdAt", "_id")).batchSize(100).iterator();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED), false)
                .map(ConversationStore::message).onClose(cursor::close);
    }

    /** How many conversations and messages a person has. */
    public Counts countsOf(UUID userId) {
        return new Counts(conversations.countDocuments(Filters.eq("userId", userId.toString())),
                messages.countDocuments(Filters.eq("userId", userId.toString())));
    }

    /** Numbers of conversations and messages (found or deleted). */
    public record Counts(long conversations, long messages) {
        public static final Counts NONE = new Counts(0, 0);

        public Counts plus(Counts other) {
            return new Counts(conversations + other.conversations, messages + other.messages);
        }
    }

    /** Who owns this conversation, for an administrator (a legal hold names a conversation by its id alone). */
    public Optional<UUID> ownerOf(UUID conversationId) {
        Document d = conversations.find(Filters.eq("_id", conversationId.toString())).projection(Projections.include("userId")).first();
        return Optional.ofNullable(d).map(doc -> UUID.fromString(doc.getString("userId")));
    }

    /**
     * Up to {@code limit} conversations whose last activity ({@code updatedAt}) is before {@code cutoff}, least
     * recent first, leaving out the given owners and conversations (those under legal hold).
     */
    public List<Conversation> idleSince(Instant cutoff, Collection<UUID> skipOwners, Collection<UUID> skipConversations, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.lt("updatedAt", Date.from(cutoff))));
        if (!skipOwners.isEmpty()) {
            filters.add(Filters.nin("userId", skipOwners.stream().map(UUID::toString).toList()));
        }
        if (!skipConversations.isEmpty()) {
            filters.add(Filters.nin("_id", skipConversations.stream().map(UUID::toString).toList()));
        }
        List<Conversation> out = new ArrayList<>();
        conversations.find(Filters.and(filters)).sort(Sorts.ascending("updatedAt", "_id")).limit(limit)
                .forEach(d -> out.add(conversation(d)));
        return out;
    }

    /**
     * Deletes the conversation if it is still idle since before {@code cutoff} (a message that arrived meanwhile
     * keeps it), then its messages. The conversation goes first so that it is never shown without its messages.
     */
    public Counts deleteIfIdle(UUID conversationId, Instant cutoff) {
        long deleted = conversations.deleteOne(Filters.and(Filters.eq("_id", conversationId.toString()),
                Filters.lt("updatedAt", Date.from(cutoff)))).getDeletedCount();
        if (deleted == 0) {
            return Counts.NONE;
        }
        return new Counts(1, messages.deleteMany(Filters.eq("conversationId", conversationId.toString())).getDeletedCount());
    }

    /** Deletes all of a person's conversations and messages. */
    public Counts deleteAllOf(UUID userId) {
        long gone = conversations.deleteMany(Filters.eq("userId", userId.toString())).getDeletedCount();
        return new Counts(gone, messages.deleteMany(Filters.eq("userId", userId.toString())).getDeletedCount());
    }

    private static Conversation conversation(Document d) {
        return new Conversation(UUID.fromString(d.getString("_id")), UUID.fromString(d.getString("userId")), d.getString("title"),
                d.getString("model"), d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant());
    }
}
