package io.gatehouse.mfa;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface RecoveryCodeRepository extends CrudRepository<RecoveryCode, UUID> {

    /** Uses the code in one statement: of two requests racing with the same code only one gets the row. */
    @Query("update mfa_recovery_codes set used_at = :at where user_id = :userId and code_hash = :codeHash and used_at is null")
    int use(UUID userId, String codeHash, Instant at);

    @Query("select count(*) from mfa_recovery_codes where user_id = :userId and used_at is null")
    long countUnused(UUID userId);

    @Query("delete from mfa_recovery_codes where user_id = :userId")
    void deleteAllOf(UUID userId);
}
