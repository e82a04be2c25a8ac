package io.gatehouse.retention;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Legal holds, active and released. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface LegalHoldRepository extends GenericRepository<LegalHoldRepository.HoldRow, UUID> {

    @MappedEntity("legal_holds")
    record HoldRow(@Id UUID id, String scope, UUID userId, @Nullable String conversationId, String reason, @Nullable UUID placedBy,
                   String placedByEmail, Instant placedAt, @Nullable UUID releasedBy, @Nullable String releasedByEmail,
                   @Nullable Instant releasedAt, @Nullable String releaseReason) {
    }

    /**
     * Serialises everything that decides or depends on legal holds: placing and releasing one, and each purge
     * batch and deletion, which read the holds and delete under this lock. A hold placed while a purge runs
     * therefore waits for the batch in progress and is respected by the next one: nothing it covers is deleted
     * after it was acknowledged.
     */
    @Query("select count(*) from (select pg_advisory_xact_lock(7147830471837420) ) l")
    long lockHolds();

    @Query("""
            insert into legal_holds (id, scope, user_id, conversation_id, reason, placed_by, placed_by_email, placed_at)
            values (:id, :scope, :userId, :conversationId, :reason, :placedBy, :placedByEmail, :placedAt)""")
    void place(UUID id, String scope, UUID userId, @Nullable String conversationId, String reason, UUID placedBy, String placedByEmail,
               Instant placedAt);

    @Query("""
            update legal_holds set released_by = :releasedBy, released_by_email = :releasedByEmail, released_at = :releasedAt,
                release_reason = :releaseReason where id = :id and released_at is null""")
    int release(UUID id, UUID releasedBy, String releasedByEmail, Instant releasedAt, String releaseReason);

    @Query("select * from legal_holds where id = :id")
    Optional<HoldRow> find(UUID id);

    @Query("select * from legal_holds where released_at is null order by placed_at desc")
    List<HoldRow> active();

    @Query("select * from legal_holds where released_at is not null order by released_at desc limit :limit")
    List<HoldRow> released(int limit);

    /** Active holds on this person or on any of their conversations. */
    @Query("select * from legal_holds where user_id = :userId and released_at is null order by placed_at")
    List<HoldRow> activeFor(UUID userId);

    @Query("select * from legal_holds where scope = :scope and user_id = :userId and coalesce(conversation_id, '') = :conversationId"
            + " and released_at is null")
    Optional<HoldRow> activeOn(String scope, UUID userId, String conversationId);

    @Query("select user_id from legal_holds where scope = 'USER' and released_at is null")
    List<UUID> heldPeople();

    @Query("select conversation_id from legal_holds where scope = 'CONVERSATION' and released_at is null")
    List<String> heldConversations();
}
