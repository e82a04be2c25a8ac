package io.gatehouse.retention;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Legal holds: an administrator holds all of a person's chat data, or one conversation, with a reason; while the
 * hold is active the nightly purge skips what it covers and an administrator cannot delete it. Placing and
 * releasing are audited. Everything that reads holds to decide a deletion does so under {@link #withHeld} or
 * {@link #unlessHeld}, which take the same lock as placing a hold (see {@link LegalHoldRepository#lockHolds()}).
 */
@Singleton
class LegalHolds {

    static final int MAX_REASON_CHARS = 500;

    enum Scope { USER, CONVERSATION }

    private final LegalHoldRepository holds;
    private final RetentionRepository people;
    private final ConversationStore conversations;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    LegalHolds(LegalHoldRepository holds, RetentionRepository people, ConversationStore conversations, AuditTrail audit, Clock clock) {
        this.holds = holds;
        this.people = people;
        this.conversations = conversations;
        this.audit = audit;
        this.clock = clock;
    }

    /** What an admin sends: a person (email or id) for USER, a conversation id for CONVERSATION, and why. */
    record HoldForm(@Nullable String scope, @Nullable String user, @Nullable String conversationId, @Nullable String reason) {
    }

    record ReleaseForm(@Nullable String reason) {
    }

    record HoldView(UUID id, Scope scope, UUID userId, @Nullable String userEmail, @Nullable String conversationId, String reason,
                    String placedBy, Instant placedAt, boolean active, @Nullable String releasedBy, @Nullable Instant releasedAt,
                    @Nullable String releaseReason) {
    }

    record Holds(List<HoldView> active, List<HoldView> released) {
    }

    /** What the active holds cover: people (all their data) and single conversations. */
    record Held(Set<UUID> people, Set<UUID> conversations) {
    }

    @Transactional
    public HoldView place(Caller admin, @Nullable HoldForm form) {
        if (form == null) {
            throw invalid("Send the hold as JSON: scope (USER or CONVERSATION), user or conversationId, and a reason.", "scope");
        }
        Scope scope = scope(form.scope());
        String reason = reason(form.reason());
        UUID userId;
        String conversationId = null;
        if (scope == Scope.USER) {
            userId = person(form.user()).id();
        } else {
            UUID conversation = uuid(form.conversationId(), "conversationId", "Give the id of the conversation to hold.");
            userId = conversations.ownerOf(conversation)
                    .orElseThrow(() -> invalid("There is no conversation " + conversation + ".", "conversationId"));
            conversationId = conversation.toString();
        }
        holds.lockHolds();
        if (holds.activeOn(scope.name(), userId, conversationId == null ? "" : conversationId).isPresent()) {
            throw new GatehouseException.Conflict("legal-hold-exists", (scope == Scope.USER ? "This person's chat data is"
                    : "This conversation is") + " already under an active legal hold; release that one first to change its reason.");
        }
        UUID id = new UUID(random.nextLong(), random.nextLong());
        Instant now = clock.instant();
        audit.record(admin.audit("legal_hold.placed").target(scope == Scope.USER ? "user" : "conversation",
                        scope == Scope.USER ? userId : conversationId)
                .detail("hold_id", id).detail("scope", scope).detail("user_id", userId).detail("reason", reason));
        holds.place(id, scope.name(), userId, conversationId, reason, admin.userId(), admin.email(), now);
        return view(holds.find(id).orElseThrow(), new HashMap<>());
    }

    @Transactional
    public HoldView release(Caller admin, UUID id, @Nullable ReleaseForm form) {
        String reason = reason(form == null ? null : form.reason());
        holds.lockHolds();
        LegalHoldRepository.HoldRow hold = holds.find(id)
                .orElseThrow(() -> new GatehouseException.NotFound("legal-hold-not-found", "There is no legal hold " + id + "."));
        if (hold.releasedAt() != null) {
            throw new GatehouseException.Conflict("legal-hold-released", "This legal hold was already released by "
                    + hold.releasedByEmail() + " at " + hold.releasedAt() + ".");
        }
        audit.record(admin.audit("legal_hold.released").target(hold.scope().equals("USER") ? "user" : "conversation",
                        hold.scope().equals("USER") ? hold.userId().toString() : hold.conversationId())
                .detail("hold_id", id).detail("scope", hold.scope()).detail("user_id", hold.userId()).detail("reason", reason));
        holds.release(id, admin.userId(), admin.email(), clock.instant(), reason);
        return view(holds.find(id).orElseThrow(), new HashMap<>());
    }

    Holds list() {
        Map<UUID, Optional<String>> emails = new HashMap<>();
        return new Holds(holds.active().stream().map(h -> view(h, emails)).toList(),
                holds.released(50).stream().map(h -> view(h, emails)).toList());
    }

    /** Runs {@code work} with what is held now, under the holds lock (a purge batch). */
    @Transactional
    public <T> T withHeld(Function<Held, T> work) {
        holds.lockHolds();
        Set<UUID> conversationIds = holds.heldConversations().stream().map(UUID::fromString).collect(Collectors.toSet());
        return work.apply(new Held(Set.copyOf(holds.heldPeople()), conversationIds));
    }

    /** Runs {@code work} under the holds lock unless a hold covers this person or any of their conversations (409). */
    @Transactional
    public <T> T unlessHeld(UUID userId, String refused, Supplier<T> work) {
        holds.lockHolds();
        List<LegalHoldRepository.HoldRow> covering = holds.activeFor(userId);
        if (!covering.isEmpty()) {
            LegalHoldRepository.HoldRow first = covering.getFirst();
            String what = covering.size() == 1
                    ? (first.scope().equals("USER") ? "a legal hold on this person" : "a legal hold on their conversation " + first.conversationId())
                    : covering.size() + " legal holds on this person or their conversations";
            throw new GatehouseException.Conflict("legal-hold", refused + ": " + what + " (placed by " + first.placedByEmail() + " on "
                    + first.placedAt() + ": " + first.reason() + ") suspends deletion. Release the hold on the Retention page first"
                    + " if the matter is closed.");
        }
        return work.get();
    }

    private HoldView view(LegalHoldRepository.HoldRow row, Map<UUID, Optional<String>> emails) {
        String email = emails.computeIfAbsent(row.userId(), id -> people.person(id).map(RetentionRepository.Person::email)).orElse(null);
        return new HoldView(row.id(), Scope.valueOf(row.scope()), row.userId(), email, row.conversationId(), row.reason(),
                row.placedByEmail(), row.placedAt(), row.releasedAt() == null, row.releasedByEmail(), row.releasedAt(), row.releaseReason());
    }

    private RetentionRepository.Person person(@Nullable String user) {
        String key = clean(user);
        if (key.isEmpty()) {
            throw invalid("Name the person to hold: their email or user id.", "user");
        }
        Optional<RetentionRepository.Person> found;
        try {
            found = people.person(UUID.fromString(key));
        } catch (IllegalArgumentException notAnId) {
            found = people.personByEmail(key);
        }
        return found.orElseThrow(() -> invalid("There is no user '" + key + "'.", "user"));
    }

    private static UUID uuid(@Nullable String value, String field, String missing) {
        String key = clean(value);
        if (key.isEmpty()) {
            throw invalid(missing, field);
        }
        try {
            return UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            throw invalid("'" + key + "' is not a conversation id (it looks like 7f3c…-…, as in the chat page's address).", field);
        }
    }

    private static Scope scope(@Nullable String scope) {
        try {
            return Scope.valueOf(clean(scope).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("Say what to hold: scope is USER (all of a person's chat data) or CONVERSATION (one conversation).", "scope");
        }
    }

    private static String reason(@Nullable String reason) {
        String text = clean(reason);
        if (text.isEmpty()) {
            throw invalid("Give a reason (a matter or case reference): it is kept with the hold and in the audit trail.", "reason");
        }
        if (text.length() > MAX_REASON_CHARS) {
            throw invalid("The reason has " + text.length() + " characters; the limit is " + MAX_REASON_CHARS + ".", "reason");
        }
        return text;
    }

    /** Control characters become spaces: reasons end up in logs, pages and the audit trail. */
    private static String clean(@Nullable String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").strip();
    }

    private static GatehouseException.BadRequest invalid(String message, String field) {
        return new GatehouseException.BadRequest("invalid-legal-hold", message, field);
    }
}
