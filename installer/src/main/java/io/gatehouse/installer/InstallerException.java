package io.gatehouse.installer;

/** A failed precondition or step: one message saying what is wrong and how to fix it. Exit code 1. */
public class InstallerException extends RuntimeException {

    public InstallerException(String message) {
        super(message);
    }

    public InstallerException(String message, Throwable cause) {
        super(message, cause);
    }
}
