package io.gatehouse.license;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The one license_state row (V18, V19) and the seat count. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface LicenseStateRepository extends GenericRepository<LicenseStateRepository.Row, Short> {

    @MappedEntity("license_state")
    record Row(@Id Short id, UUID applianceId, @Nullable String uploadedText, @Nullable String uploadedLicenseId,
               @Nullable UUID uploadedBy, @Nullable String uploadedByEmail, @Nullable Instant uploadedAt,
               @Nullable Instant checkSince, @Nullable Instant lastCheckAt, @Nullable String lastCheckError,
               @Nullable Instant lastAnswerAt, @Nullable String revokedLicenseId, @Nullable String revokedMessage,
               @Nullable String lastState, @Nullable String verifiedLicenseId, @Nullable Instant verifiedSince) {
    }

    @Query("select * from license_state where id = 1")
    Optional<Row> find();

    @Query("""
            update license_state set uploaded_text = :text, uploaded_license_id = :licenseId, uploaded_by = :by,
                   uploaded_by_email = :email, uploaded_at = :at where id = 1""")
    void storeUpload(String text, String licenseId, UUID by, String email, Instant at);

    /**
     * Remembers that {@code licenseId} verified, from {@code at} on; a no-op while it is the license already recorded
     * (so {@code verified_since} stays when it was first seen valid). Returns the rows changed (0 or 1).
     */
    @Query("""
            update license_state set verified_license_id = :licenseId, verified_since = :at
             where id = 1 and verified_license_id is distinct from :licenseId""")
    long recordVerified(String licenseId, Instant at);

    @Query("update license_state set check_since = coalesce(check_since, :at) where id = 1")
    void startChecking(Instant at);

    /** The server answered: "valid" ({@code revokedLicenseId} null) or "revoked" for that license. */
    @Query("""
            update license_state set last_check_at = :at, last_check_error = null, last_answer_at = :at,
                   revoked_license_id = :revokedLicenseId, revoked_message = :revokedMessage where id = 1""")
    void recordAnswer(Instant at, @Nullable String revokedLicenseId, @Nullable String revokedMessage);

    /** No answer: the last answer (and so the state it gave) stands until the grace period runs out. */
    @Query("update license_state set last_check_at = :at, last_check_error = :error where id = 1")
    void recordNoAnswer(Instant at, String error);

    /** The state last audited, locked until the transaction ends (so exactly one node audits a change). */
    @Query("select * from license_state where id = 1 for update")
    Optional<Row> lockState();

    @Query("update license_state set last_state = :state where id = 1")
    void moveState(String state);

    /** People who hold a seat: approved and not disabled (pending and rejected sign-ups do not). */
    @Query("select count(*) from users where status = 'ACTIVE'")
    long countActiveUsers();

    /**
     * Serialises seat-taking changes until the transaction ends, so two approvals at once cannot both take the
     * last seat. (pg_advisory_xact_lock returns void; the count gives the query a result.)
     */
    @Query("select count(*) from (select pg_advisory_xact_lock(7226830451) as l) locked")
    long lockSeats();
}
