package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Links (identity provider, subject) to a user. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ExternalIdentityRepository extends GenericRepository<Role, UUID> {

    @Query("select user_id from external_identities where provider_id = :providerId and subject = :subject")
    Optional<UUID> userFor(UUID providerId, String subject);

    @Query("insert into external_identities (id, provider_id, subject, user_id, email, created_at, last_login_at) "
            + "values (:id, :providerId, :subject, :userId, :email, :at, :at)")
    void link(UUID id, UUID providerId, String subject, UUID userId, String email, Instant at);

    @Query("update external_identities set email = :email, last_login_at = :at where provider_id = :providerId and subject = :subject")
    void touch(UUID providerId, String subject, String email, Instant at);
}
