package io.gatehouse.connector;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ToolPinRepository extends GenericRepository<ConnectorRecord, UUID> {

    @Introspected
    record Row(UUID connectorId, String toolName, String fingerprint, @Nullable String pendingFingerprint,
               @Nullable String pendingDescription, String status, @Nullable String classification, Instant pinnedAt,
               @Nullable Instant changedAt) {
        ToolPin pin() {
            return new ToolPin(connectorId, toolName, fingerprint, pendingFingerprint, pendingDescription, status, classification,
                    pinnedAt, changedAt);
        }
    }

    @Query("select * from tool_pins where connector_id = :connectorId")
    List<Row> ofConnector(UUID connectorId);

    @Query("insert into tool_pins (connector_id, tool_name, fingerprint, status, pinned_at) values (:connectorId, :tool, :fingerprint, 'APPROVED', :at) on conflict do nothing")
    void pin(UUID connectorId, String tool, String fingerprint, Instant at);

    @Query("update tool_pins set status = 'HELD', pending_fingerprint = :fingerprint, pending_description = :description, changed_at = :at where connector_id = :connectorId and tool_name = :tool")
    void hold(UUID connectorId, String tool, String fingerprint, @Nullable String description, Instant at);

    @Query("update tool_pins set status = 'APPROVED', fingerprint = pending_fingerprint, pending_fingerprint = null, pending_description = null, pinned_at = :at where connector_id = :connectorId and tool_name = :tool and status = 'HELD'")
    int approvePending(UUID connectorId, String tool, Instant at);

    @Query("update tool_pins set classification = :classification where connector_id = :connectorId and tool_name = :tool")
    int classify(UUID connectorId, String tool, String classification);
}
