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

    @Query("update users set last_login_at = :at where id = :id")
    void markLogin(UUID id, Instant at);
}
