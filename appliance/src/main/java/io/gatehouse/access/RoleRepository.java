package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RoleRepository extends CrudRepository<Role, UUID> {

    @Query("select * from roles order by builtin desc, lower(name)")
    List<Role> listAll();

    @Query("select * from roles where lower(name) = lower(:name)")
    Optional<Role> findByNameIgnoreCase(String name);
}
