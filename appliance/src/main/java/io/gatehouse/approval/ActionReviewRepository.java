package io.gatehouse.approval;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ActionReviewRepository extends GenericRepository<ActionReview, UUID> {

    @Query("""
            insert into action_reviews (id, user_id, user_email, connector_name, tool_name, arguments_json, outcome, outcome_error, ran_at)
            values (:id, :userId, :userEmail, :connectorName, :toolName, :argumentsJson, :outcome, :outcomeError, :ranAt)""")
    void insert(UUID id, UUID userId, String userEmail, String connectorName, String toolName, String argumentsJson, String outcome,
                boolean outcomeError, Instant ranAt);

    /** Not yet reviewed first (oldest first, so nothing waits forever), then the most recently reviewed. */
    @Query("""
            select * from action_reviews where reviewed_at is null or reviewed_at > :reviewedSince
            order by (reviewed_at is null) desc, case when reviewed_at is null then ran_at end, reviewed_at desc limit :limit""")
    List<ActionReview> list(Instant reviewedSince, int limit);

    @Query("""
            update action_reviews set reviewed_by = :by, reviewed_by_email = :byEmail, reviewed_at = :now, review_note = :note
            where id = :id and reviewed_at is null""")
    int markReviewed(UUID id, UUID by, String byEmail, @Nullable String note, Instant now);

    @Query("select count(*) from action_reviews where id = :id")
    long exists(UUID id);
}
