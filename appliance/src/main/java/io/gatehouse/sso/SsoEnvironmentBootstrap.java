package io.gatehouse.sso;

import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless installs: GATEHOUSE_OIDC_SLUG (+ _KIND, _DISPLAY_NAME, _DISCOVERY_URL or _ENTRA_TENANT, _CLIENT_ID,
 * _CLIENT_SECRET, _SCOPES, _GROUP_CLAIM) registers one identity provider at start if none has that slug.
 * After that the admin owns it: the environment is not applied again, so edits on the page are kept.
 */
@Singleton
final class SsoEnvironmentBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(SsoEnvironmentBootstrap.class);

    private final IdentityProviderAdmin admin;
    private final IdentityProviderAdmin.ProviderForm form;

    SsoEnvironmentBootstrap(IdentityProviderAdmin admin,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-slug:}") String slug,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-kind:OIDC}") String kind,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-display-name:}") String displayName,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-discovery-url:}") String discoveryUrl,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-entra-tenant:}") String entraTenant,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-client-id:}") String clientId,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-client-secret:}") String clientSecret,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-scopes:}") String scopes,
                            @Nullable @Value("${gatehouse.bootstrap.oidc-group-claim:}") String groupClaim) {
        this.admin = admin;
        this.form = slug == null || slug.isBlank() ? null : new IdentityProviderAdmin.ProviderForm(slug,
                displayName == null || displayName.isBlank() ? defaultName(kind, slug) : displayName,
                kind, discoveryUrl, entraTenant, clientId, clientSecret, scopes, groupClaim, true);
    }

    @EventListener
    void onStart(ServerStartupEvent event) {
        if (form == null) {
            return;
        }
        if (admin.slugTaken(form.slug().strip().toLowerCase(Locale.ROOT))) {
            LOG.info("Identity provider '{}' exists; GATEHOUSE_OIDC_* is not applied again", form.slug());
            return;
        }
        try {
            // The redirect URI shown in views needs a request; the log line states the path instead.
            IdentityProviderAdmin.ProviderView created = admin.create(null, form, "");
            LOG.info("Registered identity provider '{}' ({}) from the environment; register the redirect URI "
                    + "<public URL>{} at the provider", created.slug(), created.kind(), created.redirectUri());
        } catch (GatehouseException e) {
            String field = e instanceof GatehouseException.BadRequest b && b.field() != null ? " (" + b.field() + ")" : "";
            throw new IllegalStateException("GATEHOUSE_OIDC_* is not valid" + field + ": " + e.getMessage());
        }
    }

    private static String defaultName(String kind, String slug) {
        return switch (ProviderKind.parse(kind).orElse(ProviderKind.OIDC)) {
            case GOOGLE -> "Google";
            case ENTRA -> "Microsoft";
            case OIDC -> slug.strip();
        };
    }
}
