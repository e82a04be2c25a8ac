package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

/** The one-row access_settings table and the allowed_domains list. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AccessSettingsRepository extends GenericRepository<Role, java.util.UUID> {

    @Query("select local_signup from access_settings where id = 1")
    boolean localSignup();

    @Query("select invite_only from access_settings where id = 1")
    boolean inviteOnly();

    @Query("update access_settings set local_signup = :localSignup, invite_only = :inviteOnly, updated_at = :at where id = 1")
    void update(boolean localSignup, boolean inviteOnly, Instant at);

    @Query("select domain from allowed_domains order by domain")
    List<String> domains();

    @Query("insert into allowed_domains (domain, created_at) values (:domain, :at) on conflict do nothing")
    void addDomain(String domain, Instant at);

    @Query("delete from allowed_domains where domain = :domain")
    int removeDomain(String domain);

    @Query("select exists (select 1 from allowed_domains where domain = :domain)")
    boolean domainAllowed(String domain);
}
