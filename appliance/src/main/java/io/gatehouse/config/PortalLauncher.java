package io.gatehouse.config;

import io.gatehouse.Application;
import io.gatehouse.demo.DemoDatabase;
import io.gatehouse.secret.MasterKey;
import java.security.SecureRandom;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the portal. Production mode (GATEHOUSE_DATABASE_URL and GATEHOUSE_MONGODB_URI set) starts no
 * store; the embedded default starts a real PostgreSQL and an in-process MongoDB under the data directory.
 * Either store can be given on its own; the other one is then embedded.
 */
public final class PortalLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(PortalLauncher.class);

    private PortalLauncher() {
    }

    public static RunningPortal start(Map<String, String> env, Map<String, Object> extraProperties) {
        return start(env, extraProperties, new Object[0]);
    }

    /** As {@link #start(Map, Map)}, with beans supplied by the caller (a test's clock, say). */
    public static RunningPortal start(Map<String, String> env, Map<String, Object> extraProperties, Object... singletons) {
        StoreSettings stores = StoreSettings.fromEnvironment(env);
        List<AutoCloseable> started = new ArrayList<>();
        Map<String, Object> properties = new HashMap<>();
        try {
            DatabaseLogins.Login owner;
            if (stores.databaseUrl().isPresent()) {
                owner = new DatabaseLogins.Login(stores.databaseUrl().get(), stores.databaseUser(), stores.databasePassword());
            } else {
                EmbeddedPostgres postgres = EmbeddedPostgres.start(stores.dataDir().resolve("postgres"));
                started.add(postgres);
                owner = new DatabaseLogins.Login(postgres.jdbcUrl(EmbeddedPostgres.DATABASE), postgres.user(), "");
                DemoDatabase.Access demo = DemoDatabase.ensure(postgres.jdbcUrl("postgres"), postgres.jdbcUrl(DemoDatabase.DATABASE),
                        postgres.user(), new SecureRandom());
                properties.put("gatehouse.demo.jdbc-url", demo.jdbcUrl());
                properties.put("gatehouse.demo.user", demo.user());
                properties.put("gatehouse.demo.password", demo.password());
                LOG.info("Embedded PostgreSQL running, data in {}", stores.dataDir().resolve("postgres"));
            }
            DatabaseLogins.Login app = DatabaseLogins.application(owner, stores.databaseAppUser(), stores.databaseAppPassword(),
                    MasterKey.bytes(stores.masterKey().orElse(null), stores.dataDir(), new SecureRandom()));
            // Flyway migrates as the owner; everything else runs as the application login (see DatabaseLogins). The
            // migration is configured under a name no DataSource bean has, so micronaut-flyway runs it once, with these
            // credentials, and not a second time over the application's DataSource.
            properties.put("flyway.datasources.owner.url", owner.url());
            properties.put("flyway.datasources.owner.user", owner.user());
            properties.put("flyway.datasources.owner.password", owner.password());
            properties.put("datasources.default.url", app.url());
            properties.put("datasources.default.username", app.user());
            properties.put("datasources.default.password", app.password());
            // Only the audit archival (which may delete archived audit rows) connects as the owner at run time.
            properties.put("gatehouse.database.owner-url", owner.url());
            properties.put("gatehouse.database.owner-user", owner.user());
            properties.put("gatehouse.database.owner-password", owner.password());
            if (stores.mongoUri().isPresent()) {
                properties.put("gatehouse.mongodb.uri", stores.mongoUri().get());
            } else {
                EmbeddedMongo mongo = EmbeddedMongo.persistent(stores.dataDir().resolve("mongo/gatehouse.mv"));
                started.add(mongo);
                properties.put("gatehouse.mongodb.uri", mongo.uri());
                LOG.info("Embedded MongoDB wire server running, data in {}", stores.dataDir().resolve("mongo"));
            }
            properties.put("gatehouse.data-dir", stores.dataDir().toString());
            properties.putAll(EnvironmentSettings.toProperties(env));
            properties.putAll(extraProperties);

            ApplicationContext context = Micronaut.build(new String[0])
                    .mainClass(Application.class)
                    .properties(properties)
                    .environmentPropertySource(false)
                    .singletons(singletons)
                    .start();
            return new RunningPortal(context, List.copyOf(started));
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Could not stop {}: {}", resource.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /** A started portal: its context and the embedded stores it owns. */
    public record RunningPortal(ApplicationContext context, List<AutoCloseable> stores) implements AutoCloseable {

        public String url() {
            return context.getBean(EmbeddedServer.class).getURL().toString();
        }

        public int port() {
            return context.getBean(EmbeddedServer.class).getPort();
        }

        @Override
        public synchronized void close() {
            if (context.isRunning()) {
                context.close();
            }
            closeAll(stores);
        }
    }
}
