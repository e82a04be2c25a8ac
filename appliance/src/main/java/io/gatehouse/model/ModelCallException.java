package io.gatehouse.model;

/**
 * A model call that failed, classified so the chat and the API can say plainly what happened. Messages
 * never contain the API key or the request body.
 */
public final class ModelCallException extends RuntimeException {

    /** What went wrong, from the user's point of view. */
    public enum Kind { PROVIDER_REJECTED_KEY, TIMEOUT, UNREACHABLE, UPSTREAM_ERROR, RATE_LIMITED, BAD_RESPONSE, CANCELLED }

    private final Kind kind;

    public ModelCallException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ModelCallException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
