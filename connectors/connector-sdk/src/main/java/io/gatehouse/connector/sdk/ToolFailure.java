package io.gatehouse.connector.sdk;

/**
 * A domain failure of a tool call: the message goes back to the model and the person as the text of a
 * {@code CallToolResult} with {@code isError=true}, so it must say what happened and what to do, and
 * must not contain secrets.
 */
public class ToolFailure extends Exception {

    public ToolFailure(String message) {
        super(message);
    }

    public ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
