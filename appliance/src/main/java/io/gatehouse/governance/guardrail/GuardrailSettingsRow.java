package io.gatehouse.governance.guardrail;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code guardrail_settings}; lists are stored one entry per line. */
@MappedEntity("guardrail_settings")
record GuardrailSettingsRow(@Id UUID id, @Nullable UUID roleId, String secrets, String internalAddresses, String sqlText,
                            String identifiers, String codeBlocks, String denyPatterns, String allowedLinkDomains,
                            String internalDomains, String blockedIdentifiers, Instant updatedAt, @Nullable UUID updatedBy) {

    static final UUID EVERYONE = UUID.fromString("00000000-0000-0000-0000-000000006001");
}
