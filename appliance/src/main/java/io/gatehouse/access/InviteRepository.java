package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface InviteRepository extends CrudRepository<Invite, UUID> {

    Optional<Invite> findByTokenHash(byte[] tokenHash);

    @Query("select * from invites order by created_at desc limit 200")
    List<Invite> recent();

    /** Claims the invite once: the update matches only an unused, unexpired invite for this email. */
    @Query("update invites set used_at = :now, used_by = :userId where token_hash = :tokenHash and used_at is null "
            + "and expires_at > :now and lower(email) = lower(:email)")
    int claim(byte[] tokenHash, String email, UUID userId, Instant now);

    @Query("delete from invites where id = :id and used_at is null")
    int deleteUnused(UUID id);
}
