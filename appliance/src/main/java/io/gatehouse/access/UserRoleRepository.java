package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** The user_roles link table; {@code source} is MANUAL (an admin's choice) or GROUP (from the IdP). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface UserRoleRepository extends GenericRepository<Role, UUID> {

    @Query("select distinct r.* from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = :userId order by r.name")
    List<Role> rolesOf(UUID userId);

    @Query("select r.* from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = :userId and ur.source = :source order by r.name")
    List<Role> rolesOf(UUID userId, String source);

    @Query("delete from user_roles where user_id = :userId and source = :source")
    void clear(UUID userId, String source);

    @Query("insert into user_roles (user_id, role_id, source) values (:userId, :roleId, :source) on conflict do nothing")
    void add(UUID userId, UUID roleId, String source);

    @Query("select exists (select 1 from user_roles where user_id = :userId and role_id = :roleId)")
    boolean holds(UUID userId, UUID roleId);

    @Query("update users set admin = :admin where id = :userId")
    void setAdminFlag(UUID userId, boolean admin);
}
