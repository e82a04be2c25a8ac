package io.gatehouse.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table of environment variables the portal reads (GATEHOUSE_LOG_FORMAT is read by logback.xml itself) (the README configuration table mirrors it).
 * The launcher maps them to properties itself rather than letting Micronaut scan the whole environment,
 * so what configures Gatehouse is explicit and a test controls all of it.
 */
public final class EnvironmentSettings {

    static final Map<String, String> ENV_TO_PROPERTY = new LinkedHashMap<>();

    static {
        ENV_TO_PROPERTY.put("GATEHOUSE_HOST", "micronaut.server.host");
        ENV_TO_PROPERTY.put("GATEHOUSE_PORT", "micronaut.server.port");
        ENV_TO_PROPERTY.put("GATEHOUSE_PUBLIC_URL", "gatehouse.public-url");
        ENV_TO_PROPERTY.put("GATEHOUSE_TRUSTED_PROXIES", "gatehouse.trusted-proxies");
        ENV_TO_PROPERTY.put("GATEHOUSE_APPROVAL_EXPIRY", "gatehouse.approvals.expiry");
        ENV_TO_PROPERTY.put("GATEHOUSE_ACTION_DAY_ZONE", "gatehouse.approvals.day-zone");
        ENV_TO_PROPERTY.put("GATEHOUSE_MASTER_KEY", "gatehouse.master-key");
        ENV_TO_PROPERTY.put("GATEHOUSE_TIME_ZONE", "gatehouse.time-zone");
        ENV_TO_PROPERTY.put("GATEHOUSE_BUDGET_DEFAULT_MAX_OUTPUT", "gatehouse.budget.default-max-output");
        ENV_TO_PROPERTY.put("GATEHOUSE_AUDIT_ARCHIVE_DIR", "gatehouse.audit.archive-dir");
        ENV_TO_PROPERTY.put("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", "gatehouse.bootstrap.admin-email");
        ENV_TO_PROPERTY.put("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "gatehouse.bootstrap.admin-password");
        ENV_TO_PROPERTY.put("GATEHOUSE_MODEL_KIND", "gatehouse.bootstrap.model-kind");
        ENV_TO_PROPERTY.put("GATEHOUSE_MODEL_BASE_URL", "gatehouse.bootstrap.model-base-url");
        ENV_TO_PROPERTY.put("GATEHOUSE_MODEL_API_KEY", "gatehouse.bootstrap.model-api-key");
        ENV_TO_PROPERTY.put("GATEHOUSE_MODEL_NAMES", "gatehouse.bootstrap.model-names");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_SLUG", "gatehouse.bootstrap.oidc-slug");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_KIND", "gatehouse.bootstrap.oidc-kind");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_DISPLAY_NAME", "gatehouse.bootstrap.oidc-display-name");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_DISCOVERY_URL", "gatehouse.bootstrap.oidc-discovery-url");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_ENTRA_TENANT", "gatehouse.bootstrap.oidc-entra-tenant");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse.bootstrap.oidc-client-id");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_CLIENT_SECRET", "gatehouse.bootstrap.oidc-client-secret");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_SCOPES", "gatehouse.bootstrap.oidc-scopes");
        ENV_TO_PROPERTY.put("GATEHOUSE_OIDC_GROUP_CLAIM", "gatehouse.bootstrap.oidc-group-claim");
        ENV_TO_PROPERTY.put("GATEHOUSE_SESSION_IDLE_TIMEOUT", "gatehouse.session.idle-timeout");
        ENV_TO_PROPERTY.put("GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT", "gatehouse.session.absolute-timeout");
        ENV_TO_PROPERTY.put("GATEHOUSE_COOKIE_SECURE", "gatehouse.session.cookie-secure");
        ENV_TO_PROPERTY.put("GATEHOUSE_MODEL_TIMEOUT", "gatehouse.model.request-timeout");
        ENV_TO_PROPERTY.put("GATEHOUSE_CONNECTOR_RUNTIME", "gatehouse.connectors.runtime");
        ENV_TO_PROPERTY.put("GATEHOUSE_CONNECTOR_JARS", "gatehouse.connectors.jar-dir");
        ENV_TO_PROPERTY.put("GATEHOUSE_CONNECTOR_CALL_TIMEOUT", "gatehouse.connectors.call-timeout");
        ENV_TO_PROPERTY.put("GATEHOUSE_DOCKER_HOST", "gatehouse.connectors.docker.host");
        ENV_TO_PROPERTY.put("GATEHOUSE_DOCKER_OWNER", "gatehouse.connectors.docker.owner");
        ENV_TO_PROPERTY.put("GATEHOUSE_PORTAL_CONTAINER", "gatehouse.connectors.docker.portal-container");
        ENV_TO_PROPERTY.put("GATEHOUSE_LICENSE_FILE", "gatehouse.license.file");
        ENV_TO_PROPERTY.put("GATEHOUSE_LICENSE_PUBLIC_KEYS", "gatehouse.license.public-keys");
        ENV_TO_PROPERTY.put("GATEHOUSE_LICENSE_CHECK_URL", "gatehouse.license.check-url");
        ENV_TO_PROPERTY.put("GATEHOUSE_LICENSE_CHECK_GRACE_DAYS", "gatehouse.license.check-grace-days");
        ENV_TO_PROPERTY.put("GATEHOUSE_APPLIANCE_ID", "gatehouse.license.appliance-id");
    }

    private EnvironmentSettings() {
    }

    static Map<String, Object> toProperties(Map<String, String> env) {
        Map<String, Object> properties = new HashMap<>();
        ENV_TO_PROPERTY.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                properties.put(property, value.strip());
            }
        });
        return properties;
    }
}
