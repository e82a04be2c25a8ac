package io.gatehouse.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends CrudRepository<User, UUID> {

    @Query("select * from users where lower(email) = lower(:email)")
    Optional<User> findByEmailIgnoreCase(String email);

    boolean existsByAdmin(boolean admin);

    /** The Admin role (fixed id from the V5 migration) for a user created as an admin. */
    @Query("insert into user_roles (user_id, role_id, source) values (:userId, '00000000-0000-0000-0000-00000000a001', 'MANUAL') on conflict do nothing")
    void grantAdminRole(UUID userId);

    @Query("update users set password_hash = :hash where id = :id")
    void updatePassword(UUID id, String hash);

    @Query("update users set last_login_at = :at where id = :id")
    void markLogin(UUID id, Instant at);
}
