package io.gatehouse.connector.sdk;

/** What a connector's setup gets: its configuration and a place to register resources to close on stop. */
public interface ConnectorContext {

    ConnectorConfig config();

    /** Registers a resource (a connection pool, a client) that is closed when the connector stops. */
    <T extends AutoCloseable> T closeOnStop(T resource);
}
