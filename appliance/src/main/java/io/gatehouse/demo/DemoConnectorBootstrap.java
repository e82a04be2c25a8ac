package io.gatehouse.demo;

import io.gatehouse.connector.ConnectorAdmin;
import io.gatehouse.connector.ConnectorManifests;
import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the embedded default, registers the SQL connector "demo" on the sample database (as its read-only
 * role), so a new user can ask real questions at once. Its password changes at every start.
 */
@Singleton
@Requires(property = "gatehouse.demo.jdbc-url")
final class DemoConnectorBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(DemoConnectorBootstrap.class);
    static final String NAME = "demo";

    private final ConnectorAdmin connectors;
    private final ConnectorManifests manifests;
    private final String url;
    private final String user;
    private final String password;

    DemoConnectorBootstrap(ConnectorAdmin connectors, ConnectorManifests manifests,
                           @Value("${gatehouse.demo.jdbc-url}") String url,
                           @Value("${gatehouse.demo.user}") String user,
                           @Value("${gatehouse.demo.password}") String password) {
        this.connectors = connectors;
        this.manifests = manifests;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (manifests.find("sql").isEmpty()) {
            LOG.warn("The SQL connector is not built, so the demo database is not connected. Build it with ./gatehouse run.");
            return;
        }
        try {
            connectors.saveSystemConnector(NAME, "sql",
                    "Sample business data: customers, products, orders, order lines, invoices, support tickets",
                    Map.of("SQL_URL", url, "SQL_USER", user, "SQL_PASSWORD", password));
        } catch (GatehouseException e) {
            LOG.warn("Could not register the demo connector: {}", e.getMessage());
        }
    }
}
