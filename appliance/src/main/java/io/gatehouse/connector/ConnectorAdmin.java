package io.gatehouse.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Admin operations on connectors. Configuration is checked against the kind's manifest: unknown fields
 * and missing required ones are refused, secret fields are encrypted and never returned. Every change is checked
 * first, then its audit row ({@code connector.created/updated/deleted/restarted}, {@code connector.tool_approved},
 * {@code connector.tool_classified}) is committed, then the change is made: a change the trail cannot record is
 * refused with 503 and nothing happens. The trail gets the names of settings and secrets that changed, never values.
 */
@Singleton
public class ConnectorAdmin {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
    private static final Pattern NETWORK = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$");

    private final ConnectorRepository connectors;
    private final ConnectorManifests manifests;
    private final ConnectorSupervisor supervisor;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConnectorRuntime runtime;
    private final ToolPins toolPins;
    private final AuditTrail trail;
    private final TransactionOperations<Connection> transactions;

    ConnectorAdmin(ConnectorRepository connectors, ConnectorManifests manifests, ConnectorSupervisor supervisor,
                   SecretBox secrets, ObjectMapper json, Clock clock, ConnectorRuntime runtime, ToolPins toolPins, AuditTrail trail,
                   TransactionOperations<Connection> transactions) {
        this.trail = trail;
        this.transactions = transactions;
        this.runtime = runtime;
        this.toolPins = toolPins;
        this.connectors = connectors;
        this.manifests = manifests;
        this.supervisor = supervisor;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    /** What an admin submits; values are keyed by the manifest's environment variable names. */
    public record ConnectorForm(String name, String kind, @Nullable String description, @Nullable Map<String, String> config,
                                @Nullable List<String> networks) {

        public ConnectorForm(String name, String kind, String description, Map<String, String> config) {
            this(name, kind, description, config, null);
        }
    }

    /**
     * {@code offered}: counts as a read (offered to anyone whose role grants the connector's reads); otherwise an
     * action, which needs an explicit action grant. {@code held}: its definition changed since it was pinned;
     * {@code pendingDescription} is the new one waiting for approval.
     */
    public record ToolView(String name, String description, boolean readOnly, boolean destructive, boolean offered, boolean held,
                           @Nullable String pendingDescription) {
    }

    public record ConnectorView(UUID id, String name, String kind, String description, Map<String, String> config,
                                List<String> secretsSet, List<String> networks, @Nullable String image, @Nullable String imageId,
                                boolean enabled, String state, @Nullable String lastError, List<ToolView> tools) {
    }

    public List<ConnectorView> list() {
        return connectors.findAllOrderByName().stream().map(this::view).toList();
    }

    public ConnectorView get(UUID id) {
        return view(find(id));
    }

    /** Saves the connector and starts it; the answer shows whether it came up (or why not). */
    public ConnectorView create(Caller admin, ConnectorForm form) {
        UUID id = save(admin, form);
        supervisor.reload(id);
        return get(id);
    }

    /** Validates, records {@code connector.created} (by the admin, or by the installation when null), then saves. */
    private UUID save(@Nullable Caller admin, ConnectorForm form) {
        if (form == null || form.name() == null || !NAME.matcher(form.name()).matches()) {
            throw bad("The name must be 1 to 32 lowercase letters, digits or underscores, starting with a letter (it prefixes the tool names).");
        }
        if (connectors.findByName(form.name()).isPresent()) {
            throw new GatehouseException.Conflict("connector-name-taken", "A connector named '" + form.name() + "' already exists.");
        }
        ConnectorManifest manifest = manifest(form.kind());
        Split split = split(manifest, form.config() == null ? Map.of() : form.config(), Map.of());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        ConnectorRecord record = new ConnectorRecord(id, form.name(), form.kind(), form.description() == null ? "" : form.description().strip(),
                toJson(split.plain), split.secret.isEmpty() ? null : secrets.seal(toJson(split.secret), ConnectorRecord.secretContext(id)),
                true, now, now, networks(form.networks()), null, null, null, null, "");
        trail.record(event(admin, "connector.created", record).detail("settings", List.copyOf(split.plain.keySet()))
                .detail("secrets", List.copyOf(split.secret.keySet())).detail("networks", record.networkList()));
        connectors.save(record);
        return id;
    }

    /** Changes configuration (a secret field left out keeps its stored value) and restarts the connector. */
    public ConnectorView update(Caller admin, UUID id, ConnectorForm form) {
        change(admin, id, form, true);
        supervisor.reload(id);
        return get(id);
    }

    /**
     * Validates, records {@code connector.updated} with the names of what changed, then writes. Unless {@code always},
     * a change that changes nothing (the demo connector refreshed at every start) writes nothing; returns whether it wrote.
     */
    private boolean change(@Nullable Caller admin, UUID id, ConnectorForm form, boolean always) {
        ConnectorRecord existing = find(id);
        if (existing.bringYourOwn()) {
            throw bad("A bring-your-own MCP server is changed by registering it again (remove it, then add it with the new settings).");
        }
        ConnectorManifest manifest = manifest(existing.kind());
        Map<String, String> storedSecrets = existing.secretsCipher() == null ? Map.of()
                : fromJson(secrets.open(existing.secretsCipher(), ConnectorRecord.secretContext(id)));
        Split split = split(manifest, form.config() == null ? Map.of() : form.config(), storedSecrets);
        ConnectorRecord changed = new ConnectorRecord(id, existing.name(), existing.kind(),
                form.description() == null ? existing.description() : form.description().strip(), toJson(split.plain),
                split.secret.isEmpty() ? null : secrets.seal(toJson(split.secret), ConnectorRecord.secretContext(id)),
                existing.enabled(), existing.createdAt(), clock.instant(),
                form.networks() == null ? existing.networks() : networks(form.networks()),
                existing.image(), existing.imageId(), existing.port(), existing.mcpPath(), existing.secretKeys());
        List<String> settingsChanged = differing(fromJson(existing.configJson()), split.plain);
        List<String> secretsChanged = differing(storedSecrets, split.secret);
        boolean descriptionChanged = !existing.description().equals(changed.description());
        boolean networksChanged = !existing.networks().equals(changed.networks());
        if (!always && settingsChanged.isEmpty() && secretsChanged.isEmpty() && !descriptionChanged && !networksChanged) {
            return false;
        }
        trail.record(event(admin, "connector.updated", changed).detail("settingsChanged", settingsChanged)
                .detail("secretsChanged", secretsChanged).detail("descriptionChanged", descriptionChanged)
                .detail("networksChanged", networksChanged));
        connectors.update(changed);
        return true;
    }

    /** The keys whose values differ between the two maps (added, removed or changed): names only, for the trail. */
    static List<String> differing(Map<String, String> before, Map<String, String> after) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k))).toList();
    }

    private static AuditEvent.Builder event(@Nullable Caller admin, String action, ConnectorRecord connector) {
        AuditEvent.Builder event = admin == null ? AuditEvent.of(action) : admin.audit(action);
        return event.target("connector", connector.id()).connector(connector.name()).detail("kind", connector.kind());
    }

    private static String networks(List<String> names) {
        if (names == null) {
            return "";
        }
        for (String name : names) {
            if (name == null || !NETWORK.matcher(name).matches()) {
                throw bad("'" + name + "' is not a valid Docker network name.");
            }
        }
        return String.join(",", names);
    }

    public void delete(Caller admin, UUID id) {
        ConnectorRecord existing = find(id);
        trail.record(event(admin, "connector.deleted", existing));
        connectors.deleteById(id);
        supervisor.reload(id);
    }

    public ConnectorView restart(Caller admin, UUID id) {
        ConnectorRecord existing = find(id);
        trail.record(event(admin, "connector.restarted", existing));
        supervisor.reload(id);
        return get(id);
    }

    public List<String> log(UUID id) {
        find(id);
        return supervisor.recentLog(id);
    }

    /**
     * Creates or refreshes a connector owned by the installation itself (the demo database's) without
     * starting it: the supervisor starts every enabled connector when the portal is up.
     */
    public void saveSystemConnector(String name, String kind, String description, Map<String, String> config) {
        Optional<ConnectorRecord> existing = connectors.findByName(name);
        if (existing.isPresent()) {
            change(null, existing.get().id(), new ConnectorForm(name, kind, description, config), false);
        } else {
            save(null, new ConnectorForm(name, kind, description, config));
        }
    }

    private record Split(Map<String, String> plain, Map<String, String> secret) {
    }

    private static Split split(ConnectorManifest manifest, Map<String, String> submitted, Map<String, String> storedSecrets) {
        Map<String, ConnectorManifest.ConfigField> fields = new HashMap<>();
        manifest.config().forEach(f -> fields.put(f.env(), f));
        for (String key : submitted.keySet()) {
            if (!fields.containsKey(key)) {
                throw bad("The " + manifest.id() + " connector has no setting '" + key + "'. Known settings: "
                        + String.join(", ", new TreeMap<>(fields).keySet()) + ".");
            }
        }
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> secret = new TreeMap<>();
        for (ConnectorManifest.ConfigField field : manifest.config()) {
            String value = submitted.get(field.env());
            if ((value == null || value.isEmpty()) && field.secret()) {
                value = storedSecrets.get(field.env());
            }
            if (value == null || value.isEmpty()) {
                if (field.required()) {
                    throw bad("The setting '" + field.env() + "' (" + (field.description() == null ? field.name() : field.description())
                            + ") is required.");
                }
                continue;
            }
            (field.secret() ? secret : plain).put(field.env(), value);
        }
        return new Split(plain, secret);
    }

    private ConnectorManifest manifest(String kind) {
        return manifests.find(kind == null ? "" : kind).orElseThrow(() -> bad("Unknown connector kind '" + kind
                + "'. Available: " + String.join(", ", manifests.all().keySet()) + "."));
    }

    private ConnectorView view(ConnectorRecord r) {
        Optional<ConnectorSupervisor.Instance> instance = supervisor.all().stream().filter(i -> i.id().equals(r.id())).findFirst();
        List<String> secretNames = r.bringYourOwn() ? r.secretKeyList() : manifests.find(r.kind()).map(m -> m.config().stream()
                .filter(ConnectorManifest.ConfigField::secret).map(ConnectorManifest.ConfigField::env).toList()).orElse(List.of());
        Map<String, ToolPin> pins = toolPins.all(r.id());
        List<ToolView> tools = instance.map(i -> i.tools().stream().map(t -> toolView(t, i, pins.get(t.name()))).toList()).orElse(List.of());
        return new ConnectorView(r.id(), r.name(), r.kind(), r.description(), fromJson(r.configJson()),
                r.secretsCipher() == null ? List.of() : secretNames, r.networkList(), r.image(), r.imageId(), r.enabled(),
                instance.map(i -> i.state().name()).orElse(r.enabled() ? "STOPPED" : "DISABLED"),
                instance.map(ConnectorSupervisor.Instance::lastError).orElse(null), tools);
    }

    private static ToolView toolView(McpSchema.Tool t, ConnectorSupervisor.Instance instance, ToolPin pin) {
        McpSchema.ToolAnnotations hints = t.annotations();
        boolean read = instance.offered().stream().anyMatch(o -> o.tool().equals(t.name()) && o.read());
        return new ToolView(t.name(), t.description(), hints != null && Boolean.TRUE.equals(hints.readOnlyHint()),
                hints != null && Boolean.TRUE.equals(hints.destructiveHint()), read, pin != null && pin.held(),
                pin == null ? null : pin.pendingDescription());
    }

    /** An admin accepts a tool's changed definition: it is pinned anew and offered again. */
    public ConnectorView approveTool(Caller admin, UUID connectorId, String tool) {
        ConnectorRecord r = find(connectorId);
        // The pin's conditional update and its audit row commit together, before the tool is offered again.
        transactions.executeWrite(status -> {
            toolPins.approve(r.id(), tool);
            trail.record(event(admin, "connector.tool_approved", r).detail("tool", tool));
            return null;
        });
        supervisor.refreshTools(r.id());
        return view(r);
    }

    /** An admin classifies a bring-your-own server's tool as READ or ACTION (until then it counts as an action). */
    public ConnectorView classifyTool(Caller admin, UUID connectorId, String tool, String classification) {
        ConnectorRecord r = find(connectorId);
        if (!r.bringYourOwn()) {
            throw new GatehouseException.Conflict("not-byo", "Only bring-your-own MCP servers' tools are classified by hand; "
                    + "Gatehouse connectors declare theirs.");
        }
        String normalized = classification == null ? "" : classification.strip().toUpperCase(java.util.Locale.ROOT);
        transactions.executeWrite(status -> {
            toolPins.classify(r.id(), tool, normalized);
            trail.record(event(admin, "connector.tool_classified", r).detail("tool", tool).detail("classification", normalized));
            return null;
        });
        supervisor.refreshTools(r.id());
        return view(r);
    }

    /** A bring-your-own MCP server: the admin names the image, its endpoint, its settings and which are secret. */
    public record McpServerForm(String name, String image, @Nullable Integer port, @Nullable String path, @Nullable String description,
                                @Nullable Map<String, String> config, @Nullable List<String> secretKeys, @Nullable List<String> networks) {
    }

    private static final Pattern ENV_NAME = Pattern.compile("^[A-Z_][A-Z0-9_]{0,63}$");

    /**
     * Registers any MCP server image. It runs under the same hardening as our own connectors, pinned to the
     * image id it has now; its tools are listed but not offered to the model (their annotations are
     * unverified) until an admin classifies them.
     */
    public ConnectorView registerMcpServer(Caller admin, McpServerForm form) {
        if (form == null || form.name() == null || !NAME.matcher(form.name()).matches()) {
            throw bad("The name must be 1 to 32 lowercase letters, digits or underscores, starting with a letter (it prefixes the tool names).");
        }
        if (connectors.findByName(form.name()).isPresent()) {
            throw new GatehouseException.Conflict("connector-name-taken", "A connector named '" + form.name() + "' already exists.");
        }
        if (!(runtime instanceof DockerConnectorRuntime docker)) {
            throw bad("Bring-your-own MCP servers run only as containers: set GATEHOUSE_CONNECTOR_RUNTIME=docker.");
        }
        if (form.image() == null || form.image().isBlank()) {
            throw bad("Name the image of the MCP server, e.g. example/mcp-server:1.2.");
        }
        int port = form.port() == null ? 8080 : form.port();
        if (port < 1 || port > 65535) {
            throw bad("The port must be between 1 and 65535.");
        }
        String path = form.path() == null || form.path().isBlank() ? "/mcp" : form.path().strip();
        if (!path.startsWith("/") || path.contains("..") || path.contains("?")) {
            throw bad("The path must be an absolute path such as /mcp.");
        }
        Map<String, String> config = form.config() == null ? Map.of() : form.config();
        List<String> secretKeys = form.secretKeys() == null ? List.of() : form.secretKeys();
        for (String key : config.keySet()) {
            if (!ENV_NAME.matcher(key).matches() || key.startsWith("GATEHOUSE_")) {
                throw bad("'" + key + "' is not an allowed environment variable name (UPPER_CASE, not GATEHOUSE_*).");
            }
        }
        for (String key : secretKeys) {
            if (!config.containsKey(key)) {
                throw bad("The secret setting '" + key + "' has no value.");
            }
        }
        String imageId;
        try {
            imageId = docker.pinnedImageId(form.image().strip());
        } catch (ConnectorStartException e) {
            throw bad(e.getMessage());
        }
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> secret = new TreeMap<>();
        config.forEach((k, v) -> (secretKeys.contains(k) ? secret : plain).put(k, v));
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        ConnectorRecord record = new ConnectorRecord(id, form.name(), ConnectorRecord.BYO_KIND,
                form.description() == null ? "" : form.description().strip(),
                toJson(plain), secret.isEmpty() ? null : secrets.seal(toJson(secret), ConnectorRecord.secretContext(id)),
                true, now, now, networks(form.networks()), form.image().strip(), imageId, port, path, String.join(",", secretKeys));
        trail.record(event(admin, "connector.created", record).detail("image", record.image()).detail("imageId", imageId)
                .detail("settings", List.copyOf(plain.keySet())).detail("secrets", List.copyOf(secret.keySet()))
                .detail("networks", record.networkList()));
        connectors.save(record);
        supervisor.reload(id);
        return get(id);
    }

    private ConnectorRecord find(UUID id) {
        return connectors.findById(id).orElseThrow(() -> new GatehouseException.NotFound("connector-not-found",
                "No connector with id " + id + "."));
    }

    private String toJson(Map<String, String> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> fromJson(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored connector configuration is not valid JSON", e);
        }
    }

    private static GatehouseException bad(String detail) {
        return new GatehouseException.BadRequest("invalid-connector", detail);
    }
}
