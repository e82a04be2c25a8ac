package io.gatehouse.mfa;

import io.gatehouse.auth.User;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The TOTP columns of a user row. Every change that must not race is one conditional statement. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface TotpRepository extends GenericRepository<User, UUID> {

    @Introspected
    record TotpState(UUID id, @Nullable byte[] totpSecretCipher, @Nullable byte[] totpPendingSecretCipher,
                     @Nullable Instant totpEnabledAt, @Nullable Long totpLastStep) {

        boolean enabled() {
            return totpEnabledAt != null && totpSecretCipher != null;
        }
    }

    @Query("select id, totp_secret_cipher, totp_pending_secret_cipher, totp_enabled_at, totp_last_step from users where id = :id")
    Optional<TotpState> find(UUID id);

    @Query("update users set totp_pending_secret_cipher = :cipher where id = :id")
    void storePending(UUID id, byte[] cipher);

    /**
     * Makes the pending secret the active one, only if it is still the one the code was checked against (a
     * second confirmation, or a set-up restarted meanwhile, changes nothing). The replay mark starts afresh:
     * codes of the new secret have never been seen.
     */
    @Query("""
            update users set totp_secret_cipher = totp_pending_secret_cipher, totp_pending_secret_cipher = null,
                   totp_enabled_at = :at, totp_last_step = :step
            where id = :id and totp_pending_secret_cipher = :pending""")
    int activatePending(UUID id, byte[] pending, Instant at, long step);

    /** Marks a time step used; 0 rows when it (or a later one) already was, which makes each code single use. */
    @Query("update users set totp_last_step = :step where id = :id and (totp_last_step is null or totp_last_step < :step)")
    int useStep(UUID id, long step);

    @Query("""
            update users set totp_secret_cipher = null, totp_pending_secret_cipher = null, totp_enabled_at = null,
                   totp_last_step = null
            where id = :id""")
    void clear(UUID id);
}
