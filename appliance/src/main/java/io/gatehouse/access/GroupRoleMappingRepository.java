package io.gatehouse.access;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface GroupRoleMappingRepository extends CrudRepository<GroupRoleMapping, UUID> {

    @Query("select * from group_role_mappings order by group_name")
    List<GroupRoleMapping> listAll();

    List<GroupRoleMapping> findByGroupNameIn(Collection<String> groupNames);

    boolean existsByGroupNameAndRoleId(String groupName, UUID roleId);
}
