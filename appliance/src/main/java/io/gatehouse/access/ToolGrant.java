package io.gatehouse.access;

import io.micronaut.core.annotation.Nullable;

/**
 * One tool permission of a role. READ grants may use {@code *} for the connector and the tool; an ACTION grant
 * names one connector and one tool and carries its trust level, limits and who may approve.
 */
public record ToolGrant(String connector, String tool, boolean action, @Nullable TrustLevel trust,
                        @Nullable Integer maxCallsPerDay, @Nullable String argumentLimits, @Nullable Approver approver) {

    public static final String ANY = "*";

    /** Who may approve a Supervised call. */
    public enum Approver {
        /** The person who asked (they see the exact call and confirm it). */
        REQUESTER,
        /** Anyone holding the role except the requester (four eyes). */
        OTHER_PERSON,
        /** An admin, in the admin approval queue. */
        ADMIN
    }

    boolean covers(String connectorName, String toolName) {
        return (connector.equals(ANY) || connector.equals(connectorName)) && (tool.equals(ANY) || tool.equals(toolName));
    }
}
