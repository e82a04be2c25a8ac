package io.gatehouse.approval;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Proposals and approval requests. Every state change is one conditional update, so two deciders cannot both win. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApprovalRepository extends GenericRepository<ApprovalRequest, UUID> {

    @Query("""
            insert into approval_requests (id, trust_level, status, requester_id, requester_email, approver_rule, connector_name,
                tool_name, call_id, arguments_json, arguments_sha256, conversation_id, created_at, expires_at)
            values (:id, :trustLevel, :status, :requesterId, :requesterEmail, :approverRule, :connectorName, :toolName, :callId,
                :argumentsJson, :argumentsSha256, :conversationId, :createdAt, :expiresAt)""")
    void insert(UUID id, String trustLevel, String status, UUID requesterId, String requesterEmail, @Nullable String approverRule,
                String connectorName, String toolName, @Nullable String callId, String argumentsJson, String argumentsSha256,
                @Nullable String conversationId, Instant createdAt, Instant expiresAt);

    @Query("select * from approval_requests where id = :id")
    Optional<ApprovalRequest> find(UUID id);

    /** The same call still waiting: asking again does not make a second card. */
    @Query("""
            select * from approval_requests where requester_id = :requesterId and status = 'PENDING' and expires_at > :now
              and connector_name = :connector and tool_name = :tool and arguments_sha256 = :sha256
              and coalesce(conversation_id, '') = coalesce(:conversationId, '')
            order by created_at desc limit 1""")
    Optional<ApprovalRequest> pendingSame(UUID requesterId, String connector, String tool, String sha256,
                                          @Nullable String conversationId, Instant now);

    @Query("""
            update approval_requests set status = 'APPROVED', decided_by = :by, decided_by_email = :byEmail, decided_at = :now,
                decision_comment = :comment
            where id = :id and status = 'PENDING' and expires_at > :now""")
    int claimForApproval(UUID id, UUID by, String byEmail, @Nullable String comment, Instant now);

    @Query("""
            update approval_requests set status = 'REJECTED', decided_by = :by, decided_by_email = :byEmail, decided_at = :now,
                decision_comment = :comment
            where id = :id and status = 'PENDING' and expires_at > :now""")
    int reject(UUID id, UUID by, String byEmail, @Nullable String comment, Instant now);

    @Query("update approval_requests set status = 'EXPIRED' where id = :id and status = 'PENDING' and expires_at <= :now")
    int markExpired(UUID id, Instant now);

    /** Supervised requests still marked pending after their expiry, oldest first. */
    @Query("select * from approval_requests where status = 'PENDING' and expires_at <= :now order by expires_at limit :limit")
    List<ApprovalRequest> dueToExpire(Instant now, int limit);

    @Query("""
            update approval_requests set status = :status, outcome = :outcome, outcome_error = :error, finished_at = :now
            where id = :id and status = 'APPROVED'""")
    int finish(UUID id, String status, String outcome, boolean error, Instant now);

    /** One conversation's requests; the person's calls from outside any conversation (the API) ride along while recent. */
    @Query("""
            select * from approval_requests where requester_id = :requesterId
              and (conversation_id = :conversationId or (conversation_id is null and created_at > :unboundSince))
            order by created_at limit 200""")
    List<ApprovalRequest> ofConversation(UUID requesterId, String conversationId, Instant unboundSince);

    @Query("select * from approval_requests where requester_id = :requesterId order by created_at desc limit :limit")
    List<ApprovalRequest> ofRequester(UUID requesterId, int limit);

    @Query("""
            select * from approval_requests where status = 'PENDING' and expires_at > :now and approver_rule in ('OTHER_PERSON', 'ADMIN')
            order by created_at limit 500""")
    List<ApprovalRequest> waitingForOthers(Instant now);

    @Query("""
            select * from approval_requests where trust_level = 'SUPERVISED' and (status <> 'PENDING' or expires_at <= :now)
            order by created_at desc limit :limit""")
    List<ApprovalRequest> recentlySettled(Instant now, int limit);
}
