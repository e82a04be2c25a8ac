package io.gatehouse.access;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.util.UUID;

/** "Members of IdP group {@code groupName} hold role {@code roleId}". */
@MappedEntity("group_role_mappings")
public record GroupRoleMapping(@Id UUID id, String groupName, UUID roleId) {
}
