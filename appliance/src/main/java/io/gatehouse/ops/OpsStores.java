package io.gatehouse.ops;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.gatehouse.config.DatabaseLogins;
import io.gatehouse.config.StoreSettings;
import io.gatehouse.secret.MasterKey;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The portal's stores as the ops commands reach them: from the same environment the portal reads
 * ({@link StoreSettings}), without starting anything. The commands run against a configured stack (the compose
 * services); the embedded default keeps its stores inside the portal's process, so there is nothing to reach then.
 */
final class OpsStores {

    private final StoreSettings settings;

    OpsStores(Map<String, String> env) {
        this.settings = StoreSettings.fromEnvironment(env);
    }

    String mongoUri() {
        return settings.mongoUri().orElseThrow(() -> new OpsException("GATEHOUSE_MONGODB_URI is not set: run this command with"
                + " the portal's environment (docker compose run ... portal), the embedded MongoDB of a development portal cannot be reached."));
    }

    /** The database the portal keeps chat history in: the URI's, else "gatehouse" (as config.MongoFactory). */
    String mongoDatabase() {
        String name = new ConnectionString(mongoUri()).getDatabase();
        return name == null ? "gatehouse" : name;
    }

    MongoClient mongoClient() {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongoUri()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build());
    }

    /**
     * The application login, which the portal uses for every write to users, sessions and tokens (and which may only
     * append to the audit trail). The master key is read only when the login's password is derived from it.
     */
    PGSimpleDataSource applicationDataSource() {
        String url = settings.databaseUrl().orElseThrow(() -> new OpsException("GATEHOUSE_DATABASE_URL is not set: run this command"
                + " with the portal's environment (docker compose run ... portal), the embedded PostgreSQL of a development portal cannot be reached."));
        DatabaseLogins.Login owner = new DatabaseLogins.Login(url, settings.databaseUser(), settings.databasePassword());
        byte[] masterKey = settings.databaseAppUser().isPresent() ? new byte[0] : masterKey();
        DatabaseLogins.Login app;
        try {
            app = DatabaseLogins.application(owner, settings.databaseAppUser(), settings.databaseAppPassword(), masterKey);
        } catch (IllegalStateException e) {
            throw new OpsException(e.getMessage(), e);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(app.url());
        dataSource.setUser(app.user());
        dataSource.setPassword(app.password());
        return dataSource;
    }

    /**
     * The portal's master key, never a new one: the application login's password is derived from it and
     * DatabaseLogins sets that password, so a key other than the portal's would lock the running portal out.
     */
    private byte[] masterKey() {
        if (settings.masterKey().isEmpty() && !Files.isRegularFile(settings.dataDir().resolve("master.key"))) {
            throw new OpsException("Neither GATEHOUSE_MASTER_KEY nor GATEHOUSE_DATABASE_APP_USER is set and " + settings.dataDir()
                    + " holds no master.key: run this command with the portal's environment.");
        }
        return MasterKey.bytes(settings.masterKey().orElse(null), settings.dataDir(), new SecureRandom());
    }
}
