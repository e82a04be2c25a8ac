package io.gatehouse.chat;

import java.time.Instant;
import java.util.UUID;

/** A conversation of one user, stored in MongoDB. */
public record Conversation(UUID id, UUID userId, String title, String model, Instant createdAt, Instant updatedAt) {
}
