package io.gatehouse.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface SetupTokenRepository extends CrudRepository<SetupToken, UUID> {

    /** Claims the link atomically: of two concurrent uses only one sees 1. */
    @Query("update setup_tokens set used_at = :now where token_hash = :tokenHash and used_at is null and expires_at > :now")
    int claim(byte[] tokenHash, Instant now);

    @Query("select count(*) > 0 from setup_tokens where token_hash = :tokenHash and used_at is null and expires_at > :now")
    boolean isUsable(byte[] tokenHash, Instant now);

    @Query("delete from setup_tokens where used_at is null")
    void deleteUnused();
}
