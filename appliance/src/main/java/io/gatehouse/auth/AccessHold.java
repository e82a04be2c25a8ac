package io.gatehouse.auth;

import java.util.UUID;

/**
 * A hold on one person's programmatic access, set outside this package (the kill-switch): while held, their
 * API tokens are refused on every request. Must be cheap: it runs on the event loop for every API call.
 */
public interface AccessHold {

    /** Why the user's API access is held, or null when it is not. */
    String reason(UUID userId);
}
