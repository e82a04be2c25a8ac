package io.gatehouse.siem;

/** A batch did not reach the collector (or was not acknowledged); the message is shown to admins, so no secrets. */
final class DeliveryException extends Exception {

    DeliveryException(String message) {
        super(message);
    }
}
