package io.gatehouse.auth;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.audit.Origin;
import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin when none exists: from GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD at start
 * (ignored once an admin exists), otherwise through a one-time setup link printed to the log. The link
 * is single use and expires after {@link #LINK_LIFETIME}; a restart issues a fresh one.
 */
@Singleton
public class FirstAdminSetup {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdminSetup.class);
    static final Duration LINK_LIFETIME = Duration.ofHours(2);

    private final UserAccounts accounts;
    private final SetupTokenRepository tokens;
    private final Clock clock;
    private final SecureRandom random;
    private final String bootstrapEmail;
    private final String bootstrapPassword;
    private final String publicUrl;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    FirstAdminSetup(UserAccounts accounts, SetupTokenRepository tokens, Clock clock, SecureRandom random, AuditTrail audit,
                    ChangeAudit changes,
                    @Nullable @Value("${gatehouse.bootstrap.admin-email:}") String bootstrapEmail,
                    @Nullable @Value("${gatehouse.bootstrap.admin-password:}") String bootstrapPassword,
                    @Nullable @Value("${gatehouse.public-url:}") String publicUrl) {
        this.publicUrl = publicUrl;
        this.audit = audit;
        this.changes = changes;
        this.accounts = accounts;
        this.tokens = tokens;
        this.clock = clock;
        this.random = random;
        this.bootstrapEmail = bootstrapEmail;
        this.bootstrapPassword = bootstrapPassword;
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        String base = publicUrl == null || publicUrl.isBlank() ? event.getSource().getURL().toString() : publicUrl;
        onStart(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /** Called once at start; returns the setup link token if one was issued. */
    @Transactional
    public java.util.Optional<String> onStart(String baseUrl) {
        if (accounts.adminExists()) {
            return java.util.Optional.empty();
        }
        if (bootstrapEmail != null && !bootstrapEmail.isBlank()) {
            if (bootstrapPassword == null || bootstrapPassword.isBlank()) {
                throw new IllegalStateException("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL is set but GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD is not. Set both, or neither to use a setup link.");
            }
            try {
                User admin = accounts.createLocal(bootstrapEmail, null, bootstrapPassword, true);
                changes.record(AuditEvent.of("auth.first_admin_created").target("user", admin.id())
                        .detail("email", admin.email()).detail("source", "environment"));
                LOG.info("Created the first admin {} from GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", admin.email());
                return java.util.Optional.empty();
            } catch (GatehouseException e) {
                throw new IllegalStateException("Cannot create the first admin from GATEHOUSE_BOOTSTRAP_ADMIN_*: " + e.getMessage(), e);
            }
        }
        tokens.deleteUnused();
        String token = OpaqueTokens.generate(random, "");
        Instant now = clock.instant();
        tokens.save(new SetupToken(UUID.randomUUID(), OpaqueTokens.hash(token), now, now.plus(LINK_LIFETIME), null));
        // The one deliberate exception to "no secrets in logs": the operator needs this link to get in.
        LOG.warn("No admin exists yet. Create one within {} hours at: {}/setup?token={}", LINK_LIFETIME.toHours(), baseUrl, token);
        return java.util.Optional.of(token);
    }

    public boolean isUsable(String token) {
        return token != null && !token.isBlank() && tokens.isUsable(OpaqueTokens.hash(token), clock.instant());
    }

    /**
     * Uses the link: the admin is created only if the link is still unused and unexpired, and only once its audit
     * row is written (otherwise the link stays unused).
     */
    @Transactional
    public User createAdmin(String token, String email, String displayName, String password, Origin origin) {
        if (token == null || token.isBlank() || tokens.claim(OpaqueTokens.hash(token), clock.instant()) != 1) {
            audit.record(SignInAudit.event("auth.first_admin_created", null, email, origin).denied().detail("reason", "invalid_link"));
            throw new GatehouseException.Forbidden("This setup link is invalid, expired or already used. Restart Gatehouse to print a new one.");
        }
        if (accounts.adminExists()) {
            audit.record(SignInAudit.event("auth.first_admin_created", null, email, origin).denied().detail("reason", "admin_exists"));
            throw new GatehouseException.Conflict("admin-exists", "An admin already exists. Sign in instead.");
        }
        User admin = accounts.createLocal(email, displayName, password, true);
        changes.record(SignInAudit.event("auth.first_admin_created", admin.id(), email, origin).target("user", admin.id())
                .detail("source", "setup_link"));
        return admin;
    }
}
