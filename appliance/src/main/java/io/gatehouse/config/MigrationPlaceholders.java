package io.gatehouse.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Tells the migrations who the application login is ({@code ${app_role}} in {@code afterMigrate.sql}, which grants
 * it its rights). A customizer because micronaut-flyway does not bind a placeholders map from properties.
 */
@Singleton
@Named("owner")
final class MigrationPlaceholders implements FlywayConfigurationCustomizer {

    private final String appRole;

    MigrationPlaceholders(@Value("${datasources.default.username}") String appRole) {
        this.appRole = appRole;
    }

    @Override
    public String getName() {
        return "owner";
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.placeholders(Map.of("app_role", appRole));
    }
}
