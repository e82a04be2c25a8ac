package io.gatehouse.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.error.GatehouseException;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins each tool's definition the first time a connector lists it, and holds a tool whose definition later
 * differs until an admin approves the new one. Checked at every connector start, when tools are listed.
 */
@Singleton
final class ToolPins {

    private static final Logger LOG = LoggerFactory.getLogger(ToolPins.class);

    private final ToolPinRepository pins;
    private final ObjectMapper canonical;
    private final Clock clock;
    private final AuditTrail trail;

    ToolPins(ToolPinRepository pins, ObjectMapper json, Clock clock, AuditTrail trail) {
        this.trail = trail;
        this.pins = pins;
        // Sorted keys: the same definition always hashes the same, whatever order the server sent it in.
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.clock = clock;
    }

    /** Pins new tools, holds changed ones, and returns every pin of the connector by tool name. */
    Map<String, ToolPin> reconcile(UUID connectorId, String connectorName, List<McpSchema.Tool> tools) {
        Map<String, ToolPin> known = pins.ofConnector(connectorId).stream().map(ToolPinRepository.Row::pin)
                .collect(Collectors.toMap(ToolPin::toolName, Function.identity()));
        for (McpSchema.Tool tool : tools) {
            String fingerprint = fingerprint(tool);
            ToolPin pin = known.get(tool.name());
            if (pin == null) {
                pins.pin(connectorId, tool.name(), fingerprint, clock.instant());
            } else if (!pin.fingerprint().equals(fingerprint) && !fingerprint.equals(pin.pendingFingerprint())) {
                // Recorded first: if the trail cannot take it, the start fails and the changed tool is not offered either.
                trail.record(AuditEvent.of("connector.tool_held").target("connector", connectorId).connector(connectorName)
                        .detail("tool", tool.name()).detail("pinnedFingerprint", pin.fingerprint()).detail("newFingerprint", fingerprint));
                pins.hold(connectorId, tool.name(), fingerprint, tool.description(), clock.instant());
                LOG.warn("Connector {} changed the definition of tool {}; the tool is held until an admin approves it", connectorName, tool.name());
            }
        }
        return all(connectorId);
    }

    Map<String, ToolPin> all(UUID connectorId) {
        return pins.ofConnector(connectorId).stream().map(ToolPinRepository.Row::pin)
                .collect(Collectors.toMap(ToolPin::toolName, Function.identity()));
    }

    void approve(UUID connectorId, String tool) {
        if (pins.approvePending(connectorId, tool, clock.instant()) != 1) {
            throw new GatehouseException.Conflict("tool-not-held", "This tool is not held; there is nothing to approve.");
        }
        LOG.info("Approved the new definition of tool {} of connector {}", tool, connectorId);
    }

    void classify(UUID connectorId, String tool, String classification) {
        if (!"READ".equals(classification) && !"ACTION".equals(classification)) {
            throw new GatehouseException.BadRequest("invalid-classification", "Classify the tool as READ or ACTION.", "classification");
        }
        if (pins.classify(connectorId, tool, classification) != 1) {
            throw new GatehouseException.NotFound("tool-not-found", "This connector has no tool named " + tool + ".");
        }
    }

    String fingerprint(McpSchema.Tool tool) {
        try {
            byte[] definition = canonical.writeValueAsBytes(Map.of(
                    "name", tool.name(),
                    "description", tool.description() == null ? "" : tool.description(),
                    "inputSchema", tool.inputSchema() == null ? Map.of() : canonical.convertValue(tool.inputSchema(), Object.class),
                    "annotations", tool.annotations() == null ? Map.of() : canonical.convertValue(tool.annotations(), Object.class)));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(definition));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
