package io.gatehouse.approval;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** An Audited action that ran: who, what, with which arguments, what came back; and who reviewed it afterwards. */
@MappedEntity("action_reviews")
record ActionReview(@Id UUID id, @Nullable UUID userId, String userEmail, String connectorName, String toolName, String argumentsJson,
                    String outcome, boolean outcomeError, Instant ranAt, @Nullable UUID reviewedBy, @Nullable String reviewedByEmail,
                    @Nullable Instant reviewedAt, @Nullable String reviewNote) {
}
