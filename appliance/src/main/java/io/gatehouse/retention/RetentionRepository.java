package io.gatehouse.retention;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The retention settings row, the purge runs, model-call records past their period, and who a person is. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface RetentionRepository extends GenericRepository<RetentionRepository.RunRow, UUID> {

    @MappedEntity("retention_runs")
    record RunRow(@Id UUID id, String trigger, @Nullable LocalDate night, Instant startedAt, @Nullable Instant finishedAt,
                  @Nullable String actorEmail, @Nullable Instant chatCutoff, @Nullable Instant modelCallCutoff, long conversations,
                  long messages, long modelCalls, @Nullable String error) {
    }

    @Introspected
    record SettingsRow(@Nullable Integer chatDays, @Nullable Integer modelCallDays, @Nullable Integer auditDays,
                       @Nullable UUID updatedBy, @Nullable String updatedByEmail, @Nullable Instant updatedAt) {
    }

    @Introspected
    record Person(UUID id, String email) {
    }

    @Introspected
    record ArchiveRow(UUID id, long lastSeq, byte[] lastHash, long rowCount, String fileName, byte[] fileSha256, Instant archivedAt) {
    }

    @Query("select chat_days, model_call_days, audit_days, updated_by, updated_by_email, updated_at from retention_settings where id = 1")
    SettingsRow settings();

    /** The same row, locked until the transaction ends, so two admins' changes are audited with true before values. */
    @Query("select chat_days, model_call_days, audit_days, updated_by, updated_by_email, updated_at from retention_settings"
            + " where id = 1 for update")
    SettingsRow settingsForUpdate();

    @Query("""
            update retention_settings set chat_days = :chatDays, model_call_days = :modelCallDays, audit_days = :auditDays,
                updated_by = :updatedBy, updated_by_email = :updatedByEmail, updated_at = :updatedAt where id = 1""")
    void updateSettings(@Nullable Integer chatDays, @Nullable Integer modelCallDays, @Nullable Integer auditDays, UUID updatedBy,
                        String updatedByEmail, Instant updatedAt);

    /** 1 if this node claimed the night's run, 0 if another node already did. */
    @Query("""
            insert into retention_runs (id, trigger, night, started_at, chat_cutoff, model_call_cutoff)
            values (:id, 'NIGHTLY', :night, :startedAt, :chatCutoff, :modelCallCutoff) on conflict (trigger, night) do nothing""")
    int claimNight(UUID id, LocalDate night, Instant startedAt, @Nullable Instant chatCutoff, @Nullable Instant modelCallCutoff);

    @Query("""
            insert into retention_runs (id, trigger, started_at, actor_email, chat_cutoff, model_call_cutoff)
            values (:id, 'ADMIN', :startedAt, :actorEmail, :chatCutoff, :modelCallCutoff)""")
    void startAdminRun(UUID id, Instant startedAt, String actorEmail, @Nullable Instant chatCutoff, @Nullable Instant modelCallCutoff);

    @Query("""
            update retention_runs set finished_at = :finishedAt, conversations = :conversations, messages = :messages,
                model_calls = :modelCalls, error = :error where id = :id""")
    void finishRun(UUID id, Instant finishedAt, long conversations, long messages, long modelCalls, @Nullable String error);

    @Query("select * from retention_runs order by started_at desc limit :limit")
    List<RunRow> recentRuns(int limit);

    /**
     * Deletes up to {@code limit} model-call records started before the cut-off, except those a legal hold covers
     * (the person's, or the conversation's). Batched so one night's backlog never becomes one huge transaction.
     */
    @Query("""
            delete from model_calls where id in (
                select m.id from model_calls m where m.started_at < :cutoff
                and not exists (select 1 from legal_holds h where h.released_at is null
                    and (h.user_id = m.user_id and h.scope = 'USER' or h.scope = 'CONVERSATION' and h.conversation_id = m.conversation_id))
                limit :limit)""")
    int deleteModelCallsBefore(Instant cutoff, int limit);

    @Query("select id, email from users where id = :id")
    Optional<Person> person(UUID id);

    @Query("select id, email from users where lower(email) = lower(:email)")
    Optional<Person> personByEmail(String email);

    @Query("select id, last_seq, last_hash, row_count, file_name, file_sha256, archived_at from audit_archives"
            + " order by last_seq desc limit :limit")
    List<ArchiveRow> recentArchives(int limit);
}
