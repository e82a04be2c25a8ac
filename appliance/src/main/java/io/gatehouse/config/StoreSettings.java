package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the portal keeps its data, read from the environment before the application context exists
 * (the datasource must be known before any bean is created).
 */
public record StoreSettings(
        Path dataDir,
        Optional<String> databaseUrl,
        String databaseUser,
        String databasePassword,
        Optional<String> databaseAppUser,
        String databaseAppPassword,
        Optional<String> masterKey,
        Optional<String> mongoUri) {

    public static StoreSettings fromEnvironment(Map<String, String> env) {
        return new StoreSettings(
                Path.of(env.getOrDefault("GATEHOUSE_DATA_DIR", "data")).toAbsolutePath(),
                nonBlank(env.get("GATEHOUSE_DATABASE_URL")),
                env.getOrDefault("GATEHOUSE_DATABASE_USER", "gatehouse"),
                env.getOrDefault("GATEHOUSE_DATABASE_PASSWORD", ""),
                nonBlank(env.get("GATEHOUSE_DATABASE_APP_USER")),
                env.getOrDefault("GATEHOUSE_DATABASE_APP_PASSWORD", ""),
                nonBlank(env.get("GATEHOUSE_MASTER_KEY")),
                nonBlank(env.get("GATEHOUSE_MONGODB_URI")));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
