package io.gatehouse.ops;

/** A failed precondition of an ops command: its message is the one sentence the operator reads on stderr. */
final class OpsException extends RuntimeException {

    OpsException(String message) {
        super(message);
    }

    OpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
