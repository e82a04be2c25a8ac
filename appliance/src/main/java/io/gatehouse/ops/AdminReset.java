package io.gatehouse.ops;

import io.gatehouse.access.Role;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.PasswordHasher;
import io.gatehouse.auth.PasswordPolicy;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code admin-reset --email E}: break-glass for when no admin can sign in. The account gets a new random password,
 * loses its second factor (admins must set one up at their next sign-in), becomes active and an admin, and every
 * session and API token it had ends; {@code admin.break_glass_reset} is appended to the audit chain.
 *
 * <p>Plain JDBC as the application login plus a {@link AuditTrail#standalone standalone audit trail}, not the
 * portal's application context: starting that would run Flyway, the schedulers, the kill-switch listener, the
 * connector supervisor and the bootstrap listeners, none of which may run beside (or instead of) the portal. The
 * writes are the portal's own statements (auth's session/token/TOTP repositories, access's Admin role) in one
 * transaction; as with {@code audit.ChangeAudit#record}, the audit row is committed before the change, and a FAILURE
 * row follows if the change then does not commit.
 *
 * <p>With a portal running: sessions are read from the database on every request, so they end at once; a cached API
 * token is refused within about 5 s ({@code ApiTokenService}); role grants follow within 5 s. Failed-sign-in counters
 * live in each portal's memory (auth.LoginThrottle) and cannot be cleared from here: a locked account stays locked on a
 * running portal until its 15 minutes pass, or until the portal restarts.
 */
final class AdminReset {

    static final String ACTION = "admin.break_glass_reset";
    static final String ACTOR = "installer";
    /** 4 groups of 5 from 55 unambiguous characters: about 115 bits. */
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random;

    AdminReset(DataSource dataSource, Clock clock, SecureRandom random) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.random = random;
    }

    record Result(UUID userId, String email, String password, int sessionsEnded, int tokensRevoked) {
    }

    Result run(String email) throws SQLException {
        if (email == null || email.isBlank()) {
            throw new OpsException("Give the admin's email address: admin-reset --email you@example.com");
        }
        try (Connection c = dataSource.getConnection()) {
            requireSchema(c);
            Account account = find(c, email.strip());
            String password = newPassword(account.email());
            String hash = new PasswordHasher().hash(password);
            Instant now = clock.instant();
            AuditTrail trail = AuditTrail.standalone(dataSource, clock);
            try {
                c.setAutoCommit(false);
                int sessions;
                int tokens;
                long seq;
                AuditEvent event;
                try {
                    update(c, """
                            update users set password_hash = ?, admin = true,
                                   decided_at = case when status = 'ACTIVE' then decided_at else ? end,
                                   decided_by = case when status = 'ACTIVE' then decided_by else null end, status = 'ACTIVE',
                                   totp_secret_cipher = null, totp_pending_secret_cipher = null, totp_enabled_at = null, totp_last_step = null
                            where id = ?""", hash, Timestamp.from(now), account.id());
                    update(c, "insert into user_roles (user_id, role_id, source) values (?, ?, 'MANUAL') on conflict do nothing",
                            account.id(), Role.ADMIN);
                    update(c, "delete from mfa_recovery_codes where user_id = ?", account.id());
                    sessions = update(c, "delete from sessions where user_id = ?", account.id());
                    tokens = update(c, "update api_tokens set revoked_at = ? where user_id = ? and revoked_at is null",
                            Timestamp.from(now), account.id());
                    event = AuditEvent.of(ACTION).actor(null, ACTOR).target("user", account.id())
                            .detail("email", account.email()).detail("previous_status", account.status())
                            .detail("was_admin", account.admin()).detail("mfa_removed", account.mfaEnabled())
                            .detail("sessions_ended", sessions).detail("tokens_revoked", tokens).build();
                    seq = trail.record(event);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    recordFailure(trail, event, seq);
                    throw e;
                }
                return new Result(account.id(), account.email(), password, sessions, tokens);
            } finally {
                trail.close();
            }
        } catch (AuditUnavailableException e) {
            throw new OpsException("The audit trail could not be written, so nothing was changed: check that PostgreSQL is running"
                    + " and the application login may insert into audit_events.", e);
        }
    }

    private record Account(UUID id, String email, String status, boolean admin, boolean mfaEnabled) {
    }

    private static Account find(Connection c, String email) throws SQLException {
        try (PreparedStatement find = c.prepareStatement(
                "select id, email, status, admin, totp_enabled_at is not null from users where lower(email) = lower(?)")) {
            find.setString(1, email);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw new OpsException("No account has the email address " + email + "; admin-reset resets an existing account"
                            + " and creates none. Check the spelling.");
                }
                return new Account(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5));
            }
        }
    }

    /** The ops image may be newer than the database, or the portal never started: say so rather than fail on a column. */
    private static void requireSchema(Connection c) throws SQLException {
        try (PreparedStatement check = c.prepareStatement("select to_regclass('public.users') is not null and to_regclass('public.audit_events') is not null");
             ResultSet rs = check.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new OpsException("The database has no Gatehouse tables yet: start the portal once (installer up) so that it"
                        + " creates them, then run admin-reset again.");
            }
        }
    }

    /** A random password the portal's own policy accepts (checked, not assumed). */
    private String newPassword(String email) {
        StringBuilder password = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            if (group > 0) {
                password.append('-');
            }
            for (int i = 0; i < 5; i++) {
                password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        new PasswordPolicy().check(password.toString(), email);
        return password.toString();
    }

    private static void recordFailure(AuditTrail trail, AuditEvent success, long successSeq) {
        AuditEvent.Builder failure = AuditEvent.of(success.action()).actor(null, ACTOR).failed().target(success.targetType(), success.targetId());
        success.details().forEach(failure::detail);
        failure.detail("reason", "not_committed").detail("corrects_seq", successSeq);
        try {
            trail.record(failure.build());
        } catch (RuntimeException e) {
            // The caller reports the failed commit; the success row stands uncorrected, as ChangeAudit logs it.
        }
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
