package io.gatehouse.access;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A named set of grants. Admin, Manager, Analyst and Read-only are built in; admins add their own. */
@MappedEntity("roles")
public record Role(@Id UUID id, String name, String description, boolean builtin, Instant createdAt) {

    public static final UUID ADMIN = UUID.fromString("00000000-0000-0000-0000-00000000a001");
}
