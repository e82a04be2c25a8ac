package io.gatehouse.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface SessionRepository extends CrudRepository<UserSession, UUID> {

    Optional<UserSession> findByTokenHash(byte[] tokenHash);

    @Query("update sessions set last_seen_at = :at where id = :id")
    void touch(UUID id, Instant at);

    @Query("update sessions set token_hash = :tokenHash, stage = :stage where id = :id")
    int promote(UUID id, byte[] tokenHash, String stage);

    @Query("delete from sessions where user_id = :userId")
    void deleteByUserId(UUID userId);

    @Query("select * from sessions where user_id = :userId order by last_seen_at desc")
    java.util.List<UserSession> findOfUser(UUID userId);

    @Query("delete from sessions where user_id = :userId and id <> :keep")
    int deleteOthers(UUID userId, UUID keep);

    @Query("delete from sessions where user_id = :userId")
    int deleteAllOf(UUID userId);

    @Query("delete from sessions where id = :id and user_id = :userId")
    int deleteOwn(UUID id, UUID userId);

    @Query("delete from sessions where expires_at < :now or last_seen_at < :idleCutoff")
    int deleteExpired(Instant now, Instant idleCutoff);
}
