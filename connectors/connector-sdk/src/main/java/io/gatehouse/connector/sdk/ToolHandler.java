package io.gatehouse.connector.sdk;

/**
 * Runs one tool call with its arguments already bound to a record.
 *
 * @param <A> the arguments record
 */
@FunctionalInterface
public interface ToolHandler<A> {

    /**
     * @throws ToolFailure for a failure the caller can act on (bad input, refused statement, timeout);
     *     it becomes a {@code CallToolResult} with {@code isError=true}. Any other exception is an
     *     infrastructure failure and becomes a JSON-RPC error.
     */
    ToolResult handle(A arguments) throws ToolFailure;
}
