package io.gatehouse.access;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin's view of users: search with roles, sign-in method and MFA state in one query. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserDirectoryRepository extends GenericRepository<Role, UUID> {

    @Introspected
    record UserRow(UUID id, String email, String displayName, String status, boolean admin, Instant createdAt,
                   @Nullable Instant lastLoginAt, boolean mfaEnabled, boolean hasPassword, @Nullable String providers,
                   @Nullable String roles, long sessions) {
    }

    @Query("""
            select u.id, u.email, u.display_name, u.status, u.admin, u.created_at, u.last_login_at,
                   u.totp_enabled_at is not null as mfa_enabled, u.password_hash is not null as has_password,
                   (select string_agg(distinct p.display_name, ', ') from external_identities e
                      join identity_providers p on p.id = e.provider_id where e.user_id = u.id) as providers,
                   (select string_agg(distinct r.name, ', ' order by r.name) from user_roles ur
                      join roles r on r.id = ur.role_id where ur.user_id = u.id) as roles,
                   (select count(*) from sessions s where s.user_id = u.id) as sessions
            from users u
            where (u.email ilike :pattern or u.display_name ilike :pattern)
              and (cast(:status as text) is null or u.status = :status)
            order by case u.status when 'PENDING' then 0 else 1 end, u.created_at desc
            limit :limit""")
    List<UserRow> search(String pattern, @Nullable String status, int limit);

    @Query("update users set status = :status, decided_by = :adminId, decided_at = :at where id = :userId")
    void decide(UUID userId, String status, UUID adminId, Instant at);

    @Query("select count(*) from users where admin and status = 'ACTIVE'")
    long countActiveAdmins();
}
