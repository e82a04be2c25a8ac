package io.gatehouse.access;

import io.gatehouse.error.GatehouseException;

/**
 * Why someone may not get in: {@code reason}, a short code for the audit trail (only admins read it), and
 * {@code error}, what the person is told.
 */
public record Refusal(String reason, GatehouseException error) {
}
