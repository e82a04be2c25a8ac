package io.gatehouse.testing;

import com.mongodb.client.MongoDatabase;
import io.gatehouse.config.EmbeddedMongo;
import io.gatehouse.config.PortalLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real portal for a test class: its own fresh PostgreSQL database (in the shared embedded server), its own
 * in-process MongoDB, a random port, a clock the test moves, and a bootstrap admin.
 */
public final class TestPortal implements AutoCloseable {

    public static final String ADMIN_EMAIL = "admin@example.test";
    public static final String ADMIN_PASSWORD = "Gatehouse-admin-passphrase-1";

    public final MutableClock clock;
    /** The test people's authenticator app: TOTP secrets set up through this portal, codes for {@link #clock}. */
    public final Authenticator authenticator;
    private final PortalLauncher.RunningPortal portal;
    /** Null on a {@link #secondNode()}: the first node owns the MongoDB they share. */
    private final EmbeddedMongo mongo;
    private final String mongoUri;
    private final String jdbcUrl;
    private final Path dataDir;
    private final Map<String, String> extraEnv;

    private TestPortal(Map<String, String> extraEnv, boolean bootstrapAdmin, Object... singletons) {
        this(extraEnv, Map.of(), bootstrapAdmin, singletons);
    }

    private TestPortal(Map<String, String> extraEnv, Map<String, Object> properties, boolean bootstrapAdmin, Object... singletons) {
        this(null, null, extraEnv, properties, bootstrapAdmin, singletons);
    }

    /** With {@code first} null a portal of its own; otherwise another node on {@code first}'s stores, clock and people. */
    private TestPortal(TestPortal first, String masterKey, Map<String, String> extraEnv, Map<String, Object> properties,
                       boolean bootstrapAdmin, Object... singletons) {
        clock = first == null ? new MutableClock(Instant.parse("2026-11-25T09:00:00Z")) : first.clock;
        authenticator = first == null ? new Authenticator(clock) : first.authenticator;
        this.extraEnv = Map.copyOf(extraEnv);
        try {
            dataDir = Files.createTempDirectory("gatehouse-test-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbcUrl = first == null ? SharedPostgres.newDatabase() : first.jdbcUrl;
        mongo = first == null ? EmbeddedMongo.inMemory() : null;
        mongoUri = first == null ? mongo.uri() : first.mongoUri;
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_DATA_DIR", dataDir.toString());
        env.put("GATEHOUSE_DATABASE_URL", jdbcUrl);
        env.put("GATEHOUSE_DATABASE_USER", SharedPostgres.server().user());
        env.put("GATEHOUSE_MONGODB_URI", mongoUri);
        if (masterKey != null) {
            env.put("GATEHOUSE_MASTER_KEY", masterKey);
        }
        env.put("GATEHOUSE_PORT", "-1");
        // Surefire runs in appliance/; the connector jars are built by the reactor before this module.
        env.put("GATEHOUSE_CONNECTOR_JARS", Path.of("..", "connectors").toAbsolutePath().normalize().toString());
        if (bootstrapAdmin) {
            env.put("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL);
            env.put("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        }
        env.putAll(extraEnv);
        Object[] beans = new Object[singletons.length + 1];
        beans[0] = clock;
        System.arraycopy(singletons, 0, beans, 1, singletons.length);
        portal = PortalLauncher.start(env, properties, beans);
    }

    public static TestPortal start() {
        return new TestPortal(Map.of(), true);
    }

    public static TestPortal start(Map<String, String> env) {
        return new TestPortal(env, true);
    }

    /** With framework properties set directly (for settings that are not part of the documented environment). */
    public static TestPortal withProperties(Map<String, Object> properties) {
        return new TestPortal(Map.of(), properties, true);
    }

    /** With extra beans in the context (a test's own implementation of a plug-in point, say). */
    public static TestPortal withBeans(Object... singletons) {
        return new TestPortal(Map.of(), true, singletons);
    }

    public static TestPortal withoutAdmin(Map<String, String> env) {
        return new TestPortal(env, false);
    }

    /**
     * Another portal node on this portal's PostgreSQL database and MongoDB, as the nodes of a cluster share them:
     * the same master key (so it can open the stored secrets), clock and authenticator (so the same people sign in
     * there); its own port, data directory and in-memory state. Flyway finds the schema already migrated and the
     * admin already there. Close it before this portal.
     */
    public TestPortal secondNode() {
        return new TestPortal(this, masterKey(), extraEnv, Map.of(), false);
    }

    private String masterKey() {
        if (extraEnv.containsKey("GATEHOUSE_MASTER_KEY")) {
            return extraEnv.get("GATEHOUSE_MASTER_KEY");
        }
        bean(io.gatehouse.secret.SecretBox.class); // the key file is written when secrets are first needed
        try {
            return Files.readString(dataDir.resolve("master.key")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        String url = portal.url();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public PortalLauncher.RunningPortal running() {
        return portal;
    }

    public <T> T bean(Class<T> type) {
        return portal.context().getBean(type);
    }

    public WebSession browser() {
        return new WebSession(baseUrl());
    }

    /** A browser signed in as the bootstrap admin, second factor included. */
    public WebSession admin() {
        return signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /**
     * A browser fully signed in: after the password, the second factor is given as a person would. An admin
     * without MFA sets it up (the first time in this portal), and whoever set it up answers the challenge.
     */
    public WebSession signedIn(String email, String password) {
        WebSession session = browser();
        HttpResponse<String> login = session.postJson("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (login.statusCode() != 200) {
            throw new IllegalStateException("Login failed: " + login.statusCode() + " " + login.body());
        }
        switch (WebSession.parse(login.body()).path("access").asText()) {
            case "MFA_ENROLMENT" -> authenticator.enrol(session, email);
            case "MFA_CHALLENGE" -> authenticator.answerChallenge(session, email);
            default -> { }
        }
        return session;
    }

    /** Registers the scripted server as an OpenAI-compatible provider serving these model names. */
    public void addProvider(WebSession admin, String name, String baseUrl, String apiKey, String... models) {
        List<Map<String, Object>> modelForms = java.util.Arrays.stream(models)
                .map(m -> Map.<String, Object>of("name", m, "inputPricePerMtok", 1, "outputPricePerMtok", 2)).toList();
        Map<String, Object> form = new HashMap<>();
        form.put("name", name);
        form.put("kind", "openai");
        form.put("baseUrl", baseUrl);
        form.put("apiKey", apiKey);
        form.put("models", modelForms);
        HttpResponse<String> created = admin.postJson("/api/v1/admin/providers", form);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Provider not created: " + created.statusCode() + " " + created.body());
        }
    }

    /**
     * Registers the real SQL connector on the shared embedded demo database (through its read-only role) under
     * this name, as an admin would, and returns the connector as the admin API shows it.
     */
    public com.fasterxml.jackson.databind.JsonNode addDemoConnector(WebSession admin, String name) {
        io.gatehouse.config.EmbeddedPostgres server = SharedPostgres.server();
        io.gatehouse.demo.DemoDatabase.Access demo = io.gatehouse.demo.DemoDatabase.ensure(server.jdbcUrl("postgres"),
                server.jdbcUrl(io.gatehouse.demo.DemoDatabase.DATABASE), server.user(), new java.security.SecureRandom());
        Map<String, Object> form = new HashMap<>();
        form.put("name", name);
        form.put("kind", "sql");
        form.put("description", "Sample business data");
        form.put("config", Map.of("SQL_URL", demo.jdbcUrl(), "SQL_USER", demo.user(), "SQL_PASSWORD", demo.password()));
        HttpResponse<String> created = admin.postJson("/api/v1/admin/connectors", form);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Connector not created: " + created.statusCode() + " " + created.body());
        }
        return WebSession.parse(created.body());
    }

    public Connection sql() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, SharedPostgres.server().user(), "");
    }

    /** A connection as the portal's application login (what every request uses), not the owner. */
    public Connection sqlAsApplication() throws SQLException {
        var properties = portal.context().getEnvironment();
        return DriverManager.getConnection(jdbcUrl, properties.getRequiredProperty("datasources.default.username", String.class),
                properties.getRequiredProperty("datasources.default.password", String.class));
    }

    public MongoDatabase mongo() {
        return bean(MongoDatabase.class);
    }

    /** Stops the chat-history store under the running portal, to see how the portal copes. */
    public void stopMongo() {
        if (mongo == null) {
            throw new IllegalStateException("A second node does not own the MongoDB; stop it on the first portal.");
        }
        mongo.close();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        portal.close();
        if (mongo != null) {
            mongo.close();
        }
        SharedPostgres.deleteRecursively(dataDir);
    }
}
