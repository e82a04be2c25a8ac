package io.gatehouse.model;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ProviderRepository extends CrudRepository<ProviderRecord, UUID> {

    Optional<ProviderRecord> findByName(String name);

    List<ProviderRecord> findAllOrderByName();
}
