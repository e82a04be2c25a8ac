package io.gatehouse.retention;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.chat.ConversationStore.Counts;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A person's chat data as a whole: their own export, an administrator's export of someone's conversations (an
 * admin viewing another person's data, audited as such) and an administrator's deletion, refused while a legal hold
 * covers the person or any of their conversations. Every action is audited before it happens.
 */
@Singleton
class ChatData {

    private final ConversationStore conversations;
    private final RetentionRepository people;
    private final LegalHolds holds;
    private final AuditTrail audit;
    private final Clock clock;

    ChatData(ConversationStore conversations, RetentionRepository people, LegalHolds holds, AuditTrail audit, Clock clock) {
        this.conversations = conversations;
        this.people = people;
        this.holds = holds;
        this.audit = audit;
        this.clock = clock;
    }

    /** An export ready to stream, and how big it is. */
    record Export(ConversationExport body, String fileName, long conversations, long messages) {
    }

    /** What an administrator's deletion removed. */
    record Deleted(UUID userId, String email, long conversationsDeleted, long messagesDeleted) {
    }

    /** The caller's own conversations. */
    Export exportOwn(Caller caller) {
        List<UUID> ids = conversations.conversationIds(caller.userId());
        Counts counts = conversations.countsOf(caller.userId());
        audit.record(caller.audit("chat.exported").target("user", caller.userId())
                .detail("conversations", ids.size()).detail("messages", counts.messages()));
        return export(caller.userId(), caller.email(), ids, counts);
    }

    /** Another person's conversations, for an administrator (audited as viewing that person's data). */
    Export exportFor(Caller admin, UUID userId) {
        RetentionRepository.Person person = person(userId);
        List<UUID> ids = conversations.conversationIds(userId);
        Counts counts = conversations.countsOf(userId);
        audit.record(admin.audit("user_data.viewed").target("user", userId).detail("data", "chat-export")
                .detail("conversations", ids.size()).detail("messages", counts.messages()));
        return export(userId, person.email(), ids, counts);
    }

    Deleted delete(Caller admin, UUID userId) {
        RetentionRepository.Person person = person(userId);
        return holds.unlessHeld(userId, "The chat data of " + person.email() + " cannot be deleted", () -> {
            Counts found = conversations.countsOf(userId);
            audit.record(admin.audit("chat.deleted_by_admin").target("user", userId)
                    .detail("conversations", found.conversations()).detail("messages", found.messages()));
            Counts deleted = conversations.deleteAllOf(userId);
            return new Deleted(userId, person.email(), deleted.conversations(), deleted.messages());
        });
    }

    private Export export(UUID userId, String email, List<UUID> ids, Counts counts) {
        Instant now = clock.instant();
        String date = now.toString().substring(0, 10);
        return new Export(new ConversationExport(conversations, userId, email, ids, now), "gatehouse-conversations-" + date + ".json",
                ids.size(), counts.messages());
    }

    private RetentionRepository.Person person(UUID userId) {
        return people.person(userId).orElseThrow(() -> new GatehouseException.NotFound("user-not-found", "There is no user " + userId + "."));
    }
}
