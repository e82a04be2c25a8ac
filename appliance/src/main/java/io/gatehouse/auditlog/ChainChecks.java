package io.gatehouse.auditlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChainVerifier;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain-verify page's service: runs {@link ChainVerifier} for an admin and records the result in the trail
 * ({@code audit.verified}); the last result is read back from that row, so every node and a restarted portal show
 * the same status (a newer check this node ran outside the page, if any, wins).
 */
@Singleton
final class ChainChecks {

    private static final Logger LOG = LoggerFactory.getLogger(ChainChecks.class);
    static final String ACTION = "audit.verified";

    private final ChainVerifier verifier;
    private final AuditTrail trail;
    private final DataSource dataSource;
    private final ObjectMapper json;

    ChainChecks(ChainVerifier verifier, AuditTrail trail, DataSource dataSource, DataSourceResolver resolver, ObjectMapper json) {
        this.verifier = verifier;
        this.trail = trail;
        this.dataSource = resolver.resolve(dataSource);
        this.json = json;
    }

    /** A verification as the page shows it; {@code checkedBy} is the admin who asked (null for the portal itself). */
    record ChainStatus(boolean intact, long rowsChecked, long lastSeq, @Nullable Long firstBrokenSeq, @Nullable String problem,
                       Instant checkedAt, @Nullable String checkedBy) {

        static ChainStatus of(ChainVerifier.Verification v, @Nullable String by) {
            return new ChainStatus(v.intact(), v.rowsChecked(), v.lastSeq(), v.firstBrokenSeq(), v.problem(), v.checkedAt(), by);
        }
    }

    /** Walks the whole chain now; the result is returned only once its audit row is committed (fail closed). */
    ChainStatus verify(Caller caller) {
        ChainVerifier.Verification result;
        try {
            result = verifier.verify();
        } catch (IllegalStateException e) {
            LOG.warn("Chain verification failed: {}", e.getMessage());
            throw unreadable();
        }
        var event = caller.audit(ACTION).detail("intact", result.intact()).detail("rowsChecked", result.rowsChecked())
                .detail("lastSeq", result.lastSeq()).detail("firstBrokenSeq", result.firstBrokenSeq())
                .detail("problem", result.problem()).detail("checkedAt", result.checkedAt().toString());
        trail.record(result.intact() ? event : event.failed());
        return ChainStatus.of(result, caller.email());
    }

    /** The last verification, or null when the chain was never verified. */
    @Nullable ChainStatus last() {
        ChainStatus recorded = lastRecorded();
        ChainVerifier.Verification local = verifier.lastResult();
        if (local != null && (recorded == null || local.checkedAt().isAfter(recorded.checkedAt()))) {
            return ChainStatus.of(local, null);
        }
        return recorded;
    }

    private @Nullable ChainStatus lastRecorded() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select actor_email, details from audit_events where action = ?"
                     + " order by seq desc limit 1")) {
            select.setString(1, ACTION);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                JsonNode d = json.readTree(rs.getString(2));
                return new ChainStatus(d.path("intact").asBoolean(), d.path("rowsChecked").asLong(), d.path("lastSeq").asLong(),
                        d.hasNonNull("firstBrokenSeq") ? d.get("firstBrokenSeq").asLong() : null,
                        d.hasNonNull("problem") ? d.get("problem").asText() : null, Instant.parse(d.path("checkedAt").asText()),
                        rs.getString(1));
            }
        } catch (SQLException | IOException | DateTimeParseException e) {
            LOG.warn("Could not read the last chain verification: {}", e.getMessage());
            throw unreadable();
        }
    }

    private static GatehouseException unreadable() {
        return new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, "audit-unreadable",
                "The audit trail could not be read just now; try again in a moment. The portal log has the cause.");
    }
}
