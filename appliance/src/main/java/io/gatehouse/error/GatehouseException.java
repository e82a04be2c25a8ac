package io.gatehouse.error;

import io.micronaut.http.HttpStatus;

/**
 * The small set of domain failures, each mapped once to an RFC 9457 problem response (JSON API), an
 * OpenAI-style error ({@code /v1}) or a friendly page (browser). Messages say what happened and what to do.
 */
public sealed class GatehouseException extends RuntimeException permits
        GatehouseException.BadRequest, GatehouseException.Unauthorized, GatehouseException.Forbidden,
        GatehouseException.NotFound, GatehouseException.Conflict, GatehouseException.TooManyRequests,
        GatehouseException.Unavailable, GatehouseException.StepRequired {

    private final HttpStatus status;
    private final String type;

    GatehouseException(HttpStatus status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public HttpStatus status() {
        return status;
    }

    /** A short stable slug; the problem type URI is built from it. */
    public String type() {
        return type;
    }

    public static final class BadRequest extends GatehouseException {
        private final String field;

        public BadRequest(String type, String detail) {
            this(type, detail, null);
        }

        /** {@code field} names the offending input (e.g. {@code messages[0].role}) when there is one. */
        public BadRequest(String type, String detail, String field) {
            super(HttpStatus.BAD_REQUEST, type, detail);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static final class Unauthorized extends GatehouseException {
        public Unauthorized(String detail) {
            super(HttpStatus.UNAUTHORIZED, "unauthenticated", detail);
        }
    }

    public static final class Forbidden extends GatehouseException {
        public Forbidden(String detail) {
            super(HttpStatus.FORBIDDEN, "forbidden", detail);
        }

        /** With a type of its own (license-read-only, say) where the caller can do something about it. */
        public Forbidden(String type, String detail) {
            super(HttpStatus.FORBIDDEN, type, detail);
        }
    }

    public static final class NotFound extends GatehouseException {
        public NotFound(String type, String detail) {
            super(HttpStatus.NOT_FOUND, type, detail);
        }
    }

    public static final class Conflict extends GatehouseException {
        public Conflict(String type, String detail) {
            super(HttpStatus.CONFLICT, type, detail);
        }
    }

    public static final class TooManyRequests extends GatehouseException {
        private final long retryAfterSeconds;

        public TooManyRequests(String detail, long retryAfterSeconds) {
            this("rate-limited", detail, retryAfterSeconds);
        }

        /** With a type of its own (budget-exceeded, say) where "rate-limited" would mislead. */
        public TooManyRequests(String type, String detail, long retryAfterSeconds) {
            super(HttpStatus.TOO_MANY_REQUESTS, type, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The model provider (or another upstream) failed; status is 502 or 504. */
    public static non-sealed class Unavailable extends GatehouseException {
        public Unavailable(HttpStatus status, String type, String detail) {
            super(status, type, detail);
        }
    }

    /**
     * The caller is signed in but owes a step first (approval, MFA challenge, MFA set-up). A browser page
     * is redirected to {@code location}; the API answers 403 with the step's problem type.
     */
    public static final class StepRequired extends GatehouseException {
        private final String location;

        public StepRequired(String type, String detail, String location) {
            super(HttpStatus.FORBIDDEN, type, detail);
            this.location = location;
        }

        public String location() {
            return location;
        }
    }
}
