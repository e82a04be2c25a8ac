package io.gatehouse.connector;

/** A connector could not be started or did not become healthy; the message says why and what to check. */
public final class ConnectorStartException extends RuntimeException {

    public ConnectorStartException(String message) {
        super(message);
    }

    public ConnectorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
