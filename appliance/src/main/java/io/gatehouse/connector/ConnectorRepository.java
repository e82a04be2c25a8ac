package io.gatehouse.connector;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConnectorRepository extends CrudRepository<ConnectorRecord, UUID> {

    Optional<ConnectorRecord> findByName(String name);

    List<ConnectorRecord> findByEnabledOrderByName(boolean enabled);

    List<ConnectorRecord> findAllOrderByName();
}
