package io.gatehouse.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.secret.SecretBox;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import io.gatehouse.model.ToolSpec;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every enabled connector running: starts them when the portal starts (in the background, so the
 * portal is up at once), checks them every two seconds, restarts a dead one with exponential backoff
 * (1 s doubling to 60 s), and stops them all with the portal. Each start gets a fresh bearer token. A start is
 * audited ({@code connector.started}, a system event) before the connector is used; a crash is noted
 * ({@code connector.down}).
 */
@Singleton
public class ConnectorSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSupervisor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Where a connector is in its life. */
    public enum State { STARTING, RUNNING, DOWN, STOPPED }

    /** One supervised connector. Fields are replaced wholesale, so readers see a consistent pair. */
    public static final class Instance {
        private final ConnectorRecord record;
        private volatile State state = State.STARTING;
        private volatile RunningConnector running;
        private volatile McpConnection mcp;
        private volatile List<McpSchema.Tool> tools = List.of();
        private volatile List<ConnectorBroker.Offerable> offered = List.of();
        private volatile String lastError;
        private volatile Instant nextAttempt = Instant.EPOCH;
        private int failures;

        Instance(ConnectorRecord record) {
            this.record = record;
        }

        public String name() {
            return record.name();
        }

        public String kind() {
            return record.kind();
        }

        public UUID id() {
            return record.id();
        }

        /** A bring-your-own MCP server: its tools are untrusted until an admin classifies them. */
        public boolean bringYourOwn() {
            return record.bringYourOwn();
        }

        public State state() {
            return state;
        }

        public String lastError() {
            return lastError;
        }

        List<McpSchema.Tool> tools() {
            return tools;
        }

        /**
         * Every tool as the model would see it, with whether it counts as a read, built once per start (the chat
         * turn reads this on every turn and keeps the ones the caller's grants allow).
         */
        List<ConnectorBroker.Offerable> offered() {
            return offered;
        }

        McpConnection mcp() {
            return mcp;
        }

        RunningConnector running() {
            return running;
        }
    }

    private final ConnectorRepository connectors;
    private final ConnectorRuntime runtime;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final ConnectorSettings settings;
    private final SecureRandom random;
    private final Clock clock;
    private final ToolPins toolPins;
    private final AuditTrail trail;
    private final Map<UUID, Instance> instances = new ConcurrentHashMap<>();

    ConnectorSupervisor(ConnectorRepository connectors, ConnectorRuntime runtime, SecretBox secrets, ObjectMapper json,
                        ConnectorSettings settings, SecureRandom random, Clock clock, ToolPins toolPins, AuditTrail trail) {
        this.trail = trail;
        this.toolPins = toolPins;
        this.connectors = connectors;
        this.runtime = runtime;
        this.secrets = secrets;
        this.json = json;
        this.settings = settings;
        this.random = random;
        this.clock = clock;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        Thread.ofVirtual().name("connector-startup").start(this::startAllEnabled);
    }

    void startAllEnabled() {
        for (ConnectorRecord record : connectors.findByEnabledOrderByName(true)) {
            reload(record.id());
        }
    }

    /** (Re)starts one connector after it was added or changed; stops it if it was removed or disabled. */
    public synchronized void reload(UUID id) {
        Instance old = instances.remove(id);
        if (old != null) {
            shutDown(old, State.STOPPED);
        }
        Optional<ConnectorRecord> record = connectors.findById(id).filter(ConnectorRecord::enabled);
        if (record.isEmpty()) {
            return;
        }
        Instance instance = new Instance(record.get());
        instances.put(id, instance);
        tryStart(instance);
    }

    public List<Instance> all() {
        return instances.values().stream().sorted(java.util.Comparator.comparing(Instance::name)).toList();
    }

    public Optional<Instance> byName(String name) {
        return instances.values().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public List<String> recentLog(UUID id) {
        Instance instance = instances.get(id);
        RunningConnector running = instance == null ? null : instance.running;
        return running == null ? List.of() : runtime.recentLog(running);
    }

    /** Marks a connector whose call failed at the transport level as down, so the check restarts it. */
    void reportBroken(Instance instance, String reason) {
        if (instance.state == State.RUNNING && instance.running != null && !runtime.isAlive(instance.running)) {
            markDown(instance, reason);
        }
    }

    @Scheduled(fixedDelay = "2s", initialDelay = "2s")
    void check() {
        for (Instance instance : instances.values()) {
            if (instance.state == State.RUNNING && !runtime.isAlive(instance.running)) {
                markDown(instance, "the connector stopped unexpectedly");
            }
            if (instance.state == State.DOWN && !clock.instant().isBefore(instance.nextAttempt)) {
                tryStart(instance);
            }
        }
    }

    /** Rebuilds what a running connector offers after an admin approved or classified one of its tools. */
    void refreshTools(UUID id) {
        Instance instance = instances.get(id);
        if (instance != null && instance.state == State.RUNNING) {
            instance.offered = ConnectorBroker.offerable(instance.name(), instance.tools, instance.bringYourOwn(),
                    toolPins.all(id), json);
        }
    }

    private void tryStart(Instance instance) {
        instance.state = State.STARTING;
        try {
            ConnectorRecord r = instance.record;
            ConnectorLaunch launch = new ConnectorLaunch(instance.id(), instance.name(), instance.kind(), environment(r),
                    newToken(), r.networkList(),
                    r.bringYourOwn() ? new ConnectorLaunch.ExternalImage(r.imageId(), r.port(), r.mcpPath()) : null);
            RunningConnector running = runtime.start(launch);
            McpConnection mcp = null;
            List<McpSchema.Tool> tools;
            List<ConnectorBroker.Offerable> offered;
            try {
                mcp = McpConnection.open(running, json, settings.callTimeout());
                tools = mcp.listTools();
                offered = ConnectorBroker.offerable(instance.name(), tools, instance.bringYourOwn(),
                        toolPins.reconcile(instance.id(), instance.name(), tools), json);
                // A connector whose start the trail cannot record is not used: it is stopped and tried again later.
                trail.record(AuditEvent.of("connector.started").target("connector", instance.id()).connector(instance.name())
                        .detail("kind", instance.kind()).detail("tools", tools.size()).detail("attempt", instance.failures + 1));
            } catch (RuntimeException | LinkageError e) {
                // Never leave a started process or container behind when the session cannot be opened.
                closeQuietly(mcp);
                runtime.stop(running);
                throw new ConnectorStartException("The " + instance.name() + " connector started but could not be brought into service: "
                        + e, e);
            }
            instance.running = running;
            instance.mcp = mcp;
            instance.tools = List.copyOf(tools);
            instance.offered = offered;
            instance.failures = 0;
            instance.lastError = null;
            instance.state = State.RUNNING;
            LOG.info("Connector {} ({}) is running with {} tools", instance.name(), instance.kind(), tools.size());
        } catch (RuntimeException e) {
            instance.failures++;
            Duration backoff = Duration.ofSeconds(1L << Math.min(instance.failures - 1, 6));
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            instance.lastError = e.getMessage();
            instance.nextAttempt = clock.instant().plus(backoff);
            instance.state = State.DOWN;
            LOG.warn("Connector {} failed to start (attempt {}), retrying in {} s: {}", instance.name(), instance.failures,
                    backoff.toSeconds(), e.getMessage());
        }
    }

    private void markDown(Instance instance, String reason) {
        LOG.warn("Connector {} is down: {}; restarting", instance.name(), reason);
        // Noted, not awaited: the connector is down whether or not the trail can say so (its calls are refused anyway).
        trail.append(AuditEvent.of("connector.down").failed().target("connector", instance.id()).connector(instance.name())
                .detail("kind", instance.kind()).build());
        closeQuietly(instance);
        instance.lastError = reason;
        instance.nextAttempt = clock.instant();
        instance.state = State.DOWN;
    }

    private void shutDown(Instance instance, State state) {
        closeQuietly(instance);
        if (instance.running != null) {
            runtime.stop(instance.running);
        }
        instance.state = state;
    }

    private static void closeQuietly(Instance instance) {
        McpConnection mcp = instance.mcp;
        instance.mcp = null;
        closeQuietly(mcp);
    }

    private static void closeQuietly(McpConnection mcp) {
        if (mcp != null) {
            try {
                mcp.close();
            } catch (RuntimeException ignored) {
                // the connector may already be gone
            }
        }
    }

    @PreDestroy
    void stopAll() {
        for (Instance instance : instances.values()) {
            shutDown(instance, State.STOPPED);
        }
        instances.clear();
    }

    private Map<String, String> environment(ConnectorRecord record) {
        try {
            Map<String, String> env = new HashMap<>(json.readValue(record.configJson(), new TypeReference<Map<String, String>>() { }));
            if (record.secretsCipher() != null) {
                env.putAll(json.readValue(secrets.open(record.secretsCipher(), ConnectorRecord.secretContext(record.id())),
                        new TypeReference<Map<String, String>>() { }));
            }
            return env;
        } catch (IOException e) {
            throw new ConnectorStartException("The stored configuration of connector " + record.name() + " is not readable", e);
        }
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
