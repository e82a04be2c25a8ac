package io.gatehouse.connector.sdk;

/** The connector cannot start; the message tells the operator what to fix. */
public class ConnectorStartupException extends RuntimeException {

    public ConnectorStartupException(String message) {
        super(message);
    }

    public ConnectorStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
