package io.gatehouse.model;

/**
 * A model call that failed, classified so the chat and the API can say plainly what happened. Messages
 * never contain the API key or the request body.
 */
public final class ModelCallException extends RuntimeException {

    /** What went wrong, from the user's point of view. */
    public enum Kind { PROVIDER_REJECTED_KEY, TIMEOUT, UNREACHABLE, UPSTREAM_ERROR, RATE_LIMITED, BAD_RESPONSE, CANCELLED }

    private final Kind kind;
    private byte[] requestSha256;

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

    /** SHA-256 of the request body that was sent, when the failure came after sending it; else null. */
    public byte[] requestSha256() {
        return requestSha256 == null ? null : requestSha256.clone();
    }

    ModelCallException withRequestSha256(byte[] sha256) {
        this.requestSha256 = sha256.clone();
        return this;
    }
}
