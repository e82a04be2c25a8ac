package io.gatehouse.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApiTokenRepository extends CrudRepository<ApiToken, UUID> {

    Optional<ApiToken> findByTokenHash(byte[] tokenHash);

    @Query("select * from api_tokens where user_id = :userId and revoked_at is null order by created_at desc")
    List<ApiToken> findActiveByUser(UUID userId);

    @Query("update api_tokens set revoked_at = :at where id = :id and user_id = :userId and revoked_at is null")
    int revoke(UUID id, UUID userId, Instant at);

    @Query("update api_tokens set revoked_at = :at where user_id = :userId and revoked_at is null")
    int revokeAllOf(UUID userId, Instant at);

    @Query("update api_tokens set last_used_at = :at where id = :id")
    void markUsed(UUID id, Instant at);
}
