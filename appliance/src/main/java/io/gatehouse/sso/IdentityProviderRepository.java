package io.gatehouse.sso;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface IdentityProviderRepository extends CrudRepository<IdentityProvider, UUID> {

    Optional<IdentityProvider> findBySlug(String slug);

    @Query("select * from identity_providers order by lower(display_name), slug")
    List<IdentityProvider> listAll();

    @Query("select * from identity_providers where enabled order by lower(display_name), slug")
    List<IdentityProvider> listEnabled();

    @Query("update identity_providers set enabled = :enabled, updated_at = :at where id = :id")
    int setEnabled(UUID id, boolean enabled, Instant at);
}
