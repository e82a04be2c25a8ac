package io.gatehouse.model;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ModelRepository extends CrudRepository<ModelRecord, UUID> {

    List<ModelRecord> findByProviderId(UUID providerId);

    List<ModelRecord> findByNameIn(Collection<String> names);

    void deleteByProviderId(UUID providerId);

    List<ModelRecord> findAllOrderByName();
}
