package io.gatehouse.audit;

import io.gatehouse.error.GatehouseException;
import io.micronaut.http.HttpStatus;

/**
 * An audit row could not be committed, so the action it records is refused (fail closed): the person is told
 * to try again and the operator finds the cause in the log.
 */
public final class AuditUnavailableException extends GatehouseException.Unavailable {

    public AuditUnavailableException(String action) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "audit-unavailable", "This action was refused because its audit record ("
                + action + ") could not be written. Nothing was done; try again in a moment. If it persists, an administrator"
                + " should check the database connection in the portal log.");
    }
}
