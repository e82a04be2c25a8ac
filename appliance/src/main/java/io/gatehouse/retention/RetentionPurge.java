package io.gatehouse.retention;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.Conversation;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.chat.ConversationStore.Counts;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is past retention: conversations (with their messages) whose last activity is older than the chat
 * period, and model-call records older than theirs, except what a legal hold covers. Works in small batches, each
 * under the holds lock, so a hold placed during a run is respected from the next batch on. Audited twice: a start
 * row before anything is deleted (fail closed: no audit, no purge) and {@code retention.purged} with the counts.
 */
@Singleton
class RetentionPurge {

    static final int CONVERSATION_BATCH = 200;
    static final int MODEL_CALL_BATCH = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

    private final RetentionSettings settings;
    private final RetentionRepository repository;
    private final LegalHolds holds;
    private final ConversationStore conversations;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RetentionPurge(RetentionSettings settings, RetentionRepository repository, LegalHolds holds, ConversationStore conversations,
                   AuditTrail audit, Clock clock) {
        this.settings = settings;
        this.repository = repository;
        this.holds = holds;
        this.conversations = conversations;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one run deleted; a cut-off is null when that kind is kept forever. */
    record PurgeResult(UUID runId, String trigger, Instant startedAt, Instant finishedAt, @Nullable Instant chatCutoff,
                       @Nullable Instant modelCallCutoff, long conversations, long messages, long modelCalls) {
    }

    /** An administrator's "Run purge now". */
    PurgeResult runNow(Caller admin) {
        RetentionSettings.Periods periods = settings.current();
        if (!periods.purgesSomething()) {
            throw new GatehouseException.Conflict("nothing-to-purge", "No retention period is set for chat history or model-call"
                    + " records, so everything is kept and there is nothing to purge. Set a period first.");
        }
        Instant now = clock.instant();
        Cutoffs cutoffs = cutoffs(periods, now);
        UUID id = newId();
        repository.startAdminRun(id, now, admin.email(), cutoffs.chat(), cutoffs.modelCalls());
        return run(id, "ADMIN", now, cutoffs, admin.audit("retention.purge_started"), admin.audit("retention.purged"));
    }

    /**
     * The nightly run for {@code night} (a date in the installation's time zone): empty when another portal node
     * already claimed this night, otherwise what was purged (nothing, without audit rows, when no period is set:
     * the claim then only stops the other nodes from archiving the same night too).
     */
    Optional<PurgeResult> runNightly(LocalDate night) {
        RetentionSettings.Periods periods = settings.current();
        Instant now = clock.instant();
        Cutoffs cutoffs = cutoffs(periods, now);
        UUID id = newId();
        if (repository.claimNight(id, night, now, cutoffs.chat(), cutoffs.modelCalls()) == 0) {
            LOG.info("The retention run of the night of {} already ran on another portal node", night);
            return Optional.empty();
        }
        if (!periods.purgesSomething()) {
            repository.finishRun(id, now, 0, 0, 0, null);
            return Optional.of(new PurgeResult(id, "NIGHTLY", now, now, null, null, 0, 0, 0));
        }
        return Optional.of(run(id, "NIGHTLY", now, cutoffs, AuditEvent.of("retention.purge_started").detail("night", night.toString()),
                AuditEvent.of("retention.purged").detail("night", night.toString())));
    }

    private record Cutoffs(@Nullable Instant chat, @Nullable Instant modelCalls) {
    }

    private Cutoffs cutoffs(RetentionSettings.Periods periods, Instant now) {
        return new Cutoffs(periods.chatDays() == null ? null : settings.cutoff(now, periods.chatDays()),
                periods.modelCallDays() == null ? null : settings.cutoff(now, periods.modelCallDays()));
    }

    private PurgeResult run(UUID id, String trigger, Instant startedAt, Cutoffs cutoffs, AuditEvent.Builder started,
                            AuditEvent.Builder finished) {
        Counts chat = Counts.NONE;
        long modelCalls = 0;
        try {
            audit.record(describe(started, id, trigger, cutoffs));
            if (cutoffs.chat() != null) {
                chat = purgeConversations(cutoffs.chat());
            }
            if (cutoffs.modelCalls() != null) {
                modelCalls = purgeModelCalls(cutoffs.modelCalls());
            }
        } catch (RuntimeException e) {
            repository.finishRun(id, clock.instant(), chat.conversations(), chat.messages(), modelCalls, String.valueOf(e.getMessage()));
            LOG.error("Retention purge {} stopped after {} conversations, {} messages and {} model-call records: {}", id,
                    chat.conversations(), chat.messages(), modelCalls, e.getMessage());
            recordQuietly(counts(describe(finished.failed(), id, trigger, cutoffs), chat, modelCalls).detail("error", e.getClass().getSimpleName()));
            throw e;
        }
        Instant finishedAt = clock.instant();
        repository.finishRun(id, finishedAt, chat.conversations(), chat.messages(), modelCalls, null);
        recordQuietly(counts(describe(finished, id, trigger, cutoffs), chat, modelCalls));
        LOG.info("Retention purge {} ({}): {} conversations, {} messages, {} model-call records deleted", id, trigger,
                chat.conversations(), chat.messages(), modelCalls);
        return new PurgeResult(id, trigger, startedAt, finishedAt, cutoffs.chat(), cutoffs.modelCalls(), chat.conversations(),
                chat.messages(), modelCalls);
    }

    private Counts purgeConversations(Instant cutoff) {
        Counts total = Counts.NONE;
        while (true) {
            Counts batch = holds.withHeld(held -> {
                List<Conversation> idle = conversations.idleSince(cutoff, held.people(), held.conversations(), CONVERSATION_BATCH);
                Counts deleted = Counts.NONE;
                for (Conversation c : idle) {
                    deleted = deleted.plus(conversations.deleteIfIdle(c.id(), cutoff));
                }
                return idle.isEmpty() ? null : deleted;
            });
            if (batch == null) {
                return total;
            }
            total = total.plus(batch);
        }
    }

    private long purgeModelCalls(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = holds.withHeld(held -> repository.deleteModelCallsBefore(cutoff, MODEL_CALL_BATCH));
            total += deleted;
        } while (deleted > 0);
        return total;
    }

    private static AuditEvent.Builder describe(AuditEvent.Builder event, UUID id, String trigger, Cutoffs cutoffs) {
        return event.target("retention_run", id).detail("trigger", trigger)
                .detail("chat_cutoff", cutoffs.chat() == null ? null : cutoffs.chat().toString())
                .detail("model_call_cutoff", cutoffs.modelCalls() == null ? null : cutoffs.modelCalls().toString());
    }

    private static AuditEvent.Builder counts(AuditEvent.Builder event, Counts chat, long modelCalls) {
        return event.detail("conversations", chat.conversations()).detail("messages", chat.messages()).detail("model_calls", modelCalls);
    }

    /** After the deletion the record can only report it: if the trail is down now, the run's row and the log keep the counts. */
    private void recordQuietly(AuditEvent.Builder event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.error("The purge finished but its audit row could not be written: {}", e.getMessage());
        }
    }

    private UUID newId() {
        return new UUID(random.nextLong(), random.nextLong());
    }
}
