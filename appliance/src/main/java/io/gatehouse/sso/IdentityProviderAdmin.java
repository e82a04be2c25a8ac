package io.gatehouse.sso;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin operations on identity providers. Validation says which field is wrong and what a good value looks
 * like; the client secret is sealed before it is stored and never returned. Every change drops the cached
 * pac4j client so the next sign-in uses the new settings.
 */
@Singleton
class IdentityProviderAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderAdmin.class);

    static final String DEFAULT_SCOPES = "openid email profile";
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$");
    /** A tenant id (GUID), a verified domain (contoso.onmicrosoft.com), or common / organizations. */
    private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}$");
    private static final Pattern CLAIM_NAME = Pattern.compile("^[A-Za-z0-9_.:/-]{1,200}$");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private final IdentityProviderRepository providers;
    private final SecretBox secrets;
    private final SsoClients clients;
    private final Clock clock;
    private final ChangeAudit changes;

    IdentityProviderAdmin(IdentityProviderRepository providers, SecretBox secrets, SsoClients clients, Clock clock, ChangeAudit changes) {
        this.changes = changes;
        this.providers = providers;
        this.secrets = secrets;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * What an admin submits. For Google the discovery URL is fixed; for Entra it is built from
     * {@code entraTenant}. A null or blank {@code clientSecret} on update keeps the stored one.
     */
    record ProviderForm(@Nullable String slug, @Nullable String displayName, @Nullable String kind,
                        @Nullable String discoveryUrl, @Nullable String entraTenant, @Nullable String clientId,
                        @Nullable String clientSecret, @Nullable String scopes, @Nullable String groupClaim,
                        @Nullable Boolean enabled) {
    }

    /** What an admin sees: whether a secret is set, never the secret; and the redirect URI to register. */
    record ProviderView(UUID id, String slug, String displayName, String kind, String discoveryUrl,
                        @Nullable String entraTenant, String clientId, boolean hasClientSecret, String scopes,
                        @Nullable String groupClaim, boolean enabled, String redirectUri, Instant createdAt,
                        Instant updatedAt) {
    }

    List<ProviderView> list(String publicBase) {
        return providers.listAll().stream().map(p -> view(p, publicBase)).toList();
    }

    ProviderView get(UUID id, String publicBase) {
        return view(find(id), publicBase);
    }

    boolean slugTaken(String slug) {
        return providers.findBySlug(slug).isPresent();
    }

    /** {@code admin} null: registered by the installation itself (GATEHOUSE_OIDC_*). */
    @Transactional
    ProviderView create(@Nullable Caller admin, ProviderForm form, String publicBase) {
        Valid valid = validate(form);
        if (providers.findBySlug(valid.slug()).isPresent()) {
            throw slugConflict(valid.slug());
        }
        if (blank(form.clientSecret()) && valid.kind() != ProviderKind.OIDC) {
            throw bad("Enter the client secret from " + (valid.kind() == ProviderKind.GOOGLE ? "Google Cloud console" : "Entra")
                    + "; this kind of provider requires one.", "clientSecret");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        IdentityProvider saved = providers.save(new IdentityProvider(id, valid.slug(), valid.displayName(), valid.kind().name(),
                valid.discoveryUrl(), valid.clientId(), sealed(form.clientSecret(), id), valid.scopes(), valid.groupClaim(),
                form.enabled() == null || form.enabled(), now, now));
        changes.record(event(admin, "identity_provider.created", saved).detail("settings", settings(saved)));
        LOG.info("Identity provider {} ({}) added", saved.slug(), saved.kind());
        return view(saved, publicBase);
    }

    @Transactional
    ProviderView update(Caller admin, UUID id, ProviderForm form, String publicBase) {
        IdentityProvider existing = find(id);
        Valid valid = validate(form);
        providers.findBySlug(valid.slug()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw slugConflict(valid.slug());
        });
        byte[] secret = blank(form.clientSecret()) ? existing.clientSecretCipher() : sealed(form.clientSecret(), id);
        if (secret == null && valid.kind() != ProviderKind.OIDC) {
            throw bad("Enter the client secret; this kind of provider requires one.", "clientSecret");
        }
        IdentityProvider saved = providers.update(new IdentityProvider(id, valid.slug(), valid.displayName(), valid.kind().name(),
                valid.discoveryUrl(), valid.clientId(), secret, valid.scopes(), valid.groupClaim(),
                form.enabled() == null ? existing.enabled() : form.enabled(), existing.createdAt(), clock.instant()));
        changes.record(event(admin, "identity_provider.updated", saved).detail("changes", differences(existing, saved))
                .detail("client_secret_replaced", !blank(form.clientSecret())));
        clients.forget(id);
        LOG.info("Identity provider {} ({}) updated", saved.slug(), saved.kind());
        return view(saved, publicBase);
    }

    /** Deleting a provider unlinks its identities; the accounts stay and can sign in another way. */
    @Transactional
    void delete(Caller admin, UUID id) {
        IdentityProvider existing = find(id);
        providers.deleteById(id);
        changes.record(event(admin, "identity_provider.deleted", existing).detail("settings", settings(existing)));
        clients.forget(id);
        LOG.info("Identity provider {} deleted", existing.slug());
    }

    @Transactional
    ProviderView setEnabled(Caller admin, UUID id, boolean enabled, String publicBase) {
        IdentityProvider existing = find(id);
        providers.setEnabled(id, enabled, clock.instant());
        changes.record(event(admin, "identity_provider.updated", existing)
                .detail("changes", Map.of("enabled", beforeAfter(existing.enabled(), enabled))));
        clients.forget(id);
        return get(id, publicBase);
    }

    private static AuditEvent.Builder event(@Nullable Caller admin, String action, IdentityProvider provider) {
        AuditEvent.Builder event = admin == null ? AuditEvent.of(action).detail("source", "environment") : admin.audit(action);
        return event.target("identity_provider", provider.id()).detail("slug", provider.slug());
    }

    /** What the audit row says about a provider: its settings, and whether a client secret is set (never the secret). */
    private static Map<String, Object> settings(IdentityProvider p) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("slug", p.slug());
        settings.put("display_name", p.displayName());
        settings.put("kind", p.kind());
        settings.put("discovery_url", p.discoveryUrl());
        settings.put("client_id", p.clientId());
        settings.put("scopes", p.scopes());
        settings.put("group_claim", p.groupClaim());
        settings.put("enabled", p.enabled());
        settings.put("client_secret_set", p.clientSecretCipher() != null);
        return settings;
    }

    private static Map<String, Object> differences(IdentityProvider before, IdentityProvider after) {
        Map<String, Object> was = settings(before);
        Map<String, Object> now = settings(after);
        Map<String, Object> changed = new LinkedHashMap<>();
        now.forEach((field, value) -> {
            if (!Objects.equals(was.get(field), value)) {
                changed.put(field, beforeAfter(was.get(field), value));
            }
        });
        return changed;
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

    private record Valid(String slug, String displayName, ProviderKind kind, String discoveryUrl, String clientId,
                         String scopes, @Nullable String groupClaim) {
    }

    private static Valid validate(ProviderForm form) {
        if (form == null) {
            throw bad("Send the provider as a JSON object.", null);
        }
        String slug = form.slug() == null ? "" : form.slug().strip().toLowerCase(Locale.ROOT);
        if (!SLUG.matcher(slug).matches()) {
            throw bad("The slug names the provider in its URLs (/sso/<slug>/...): 1 to 40 lower-case letters, digits "
                    + "and hyphens, e.g. 'google' or 'corp-keycloak'.", "slug");
        }
        String displayName = form.displayName() == null ? "" : form.displayName().strip();
        if (displayName.isEmpty() || displayName.length() > 100) {
            throw bad("Give the provider a display name of 1 to 100 characters; it appears as 'Sign in with <name>'.", "displayName");
        }
        ProviderKind kind = ProviderKind.parse(form.kind()).orElseThrow(() ->
                bad("The kind is one of GOOGLE, ENTRA (Microsoft Entra ID) or OIDC (any OpenID Connect provider).", "kind"));
        String discovery = switch (kind) {
            case GOOGLE -> ProviderKind.GOOGLE_DISCOVERY;
            case ENTRA -> ProviderKind.entraDiscovery(tenant(form.entraTenant()));
            case OIDC -> discoveryUrl(form.discoveryUrl());
        };
        String clientId = form.clientId() == null ? "" : form.clientId().strip();
        if (clientId.isEmpty() || clientId.length() > 255 || clientId.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw bad("Enter the client id the provider gave this application (no spaces, up to 255 characters).", "clientId");
        }
        if (form.clientSecret() != null && form.clientSecret().strip().length() > 1000) {
            throw bad("The client secret is longer than 1000 characters; paste the secret value only.", "clientSecret");
        }
        String groupClaim = blank(form.groupClaim()) ? null : form.groupClaim().strip();
        if (groupClaim != null && !CLAIM_NAME.matcher(groupClaim).matches()) {
            throw bad("The group claim is the name of a claim in the ID token, e.g. 'groups' (letters, digits, _ . : / -).", "groupClaim");
        }
        return new Valid(slug, displayName, kind, discovery, clientId, scopes(form.scopes()), groupClaim);
    }

    private static String tenant(String tenant) {
        String t = tenant == null ? "" : tenant.strip();
        if (!TENANT.matcher(t).matches()) {
            throw bad("Enter the Entra tenant: its directory (tenant) id, a verified domain such as contoso.onmicrosoft.com, "
                    + "or 'organizations' / 'common' to accept any work account.", "entraTenant");
        }
        return t;
    }

    /** https only, except loopback http for a provider running next to Gatehouse in development and tests. */
    static String discoveryUrl(String url) {
        String value = url == null ? "" : url.strip();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw badDiscovery();
        }
        if (value.length() > 500 || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw badDiscovery();
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost()))) {
            throw bad("The discovery URL must use https (plain http is accepted only for localhost).", "discoveryUrl");
        }
        // Admins often paste the issuer; the discovery document lives at a fixed place under it.
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.endsWith(WELL_KNOWN)) {
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            path = path + WELL_KNOWN;
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path;
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || IPV4_LOOPBACK.matcher(h).matches();
    }

    private static String scopes(String scopes) {
        if (blank(scopes)) {
            return DEFAULT_SCOPES;
        }
        Set<String> tokens = new LinkedHashSet<>(Arrays.asList(scopes.strip().split("[\\s,]+")));
        if (!tokens.contains("openid")) {
            throw bad("The scopes must include 'openid' (the default is '" + DEFAULT_SCOPES + "').", "scopes");
        }
        if (tokens.size() > 30 || tokens.stream().anyMatch(t -> !SCOPE_TOKEN.matcher(t).matches())) {
            throw bad("List up to 30 scopes separated by spaces, e.g. '" + DEFAULT_SCOPES + "'.", "scopes");
        }
        return String.join(" ", tokens);
    }

    private byte[] sealed(String secret, UUID id) {
        return blank(secret) ? null : secrets.seal(secret.strip(), IdentityProvider.secretContext(id));
    }

    private IdentityProvider find(UUID id) {
        return providers.findById(id).orElseThrow(() -> new GatehouseException.NotFound("identity-provider-not-found",
                "No identity provider with id " + id + "."));
    }

    private static ProviderView view(IdentityProvider p, String publicBase) {
        return new ProviderView(p.id(), p.slug(), p.displayName(), p.kind(), p.discoveryUrl(), p.entraTenant(), p.clientId(),
                p.clientSecretCipher() != null, p.scopes(), p.groupClaim(), p.enabled(),
                publicBase + PublicBase.callbackPath(p.slug()), p.createdAt(), p.updatedAt());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static GatehouseException slugConflict(String slug) {
        return new GatehouseException.Conflict("identity-provider-slug-taken", "A provider with the slug '" + slug
                + "' already exists. Choose another slug.");
    }

    private static GatehouseException badDiscovery() {
        return bad("Enter the provider's discovery URL (or its issuer URL), e.g. "
                + "https://keycloak.example.com/realms/corp/.well-known/openid-configuration.", "discoveryUrl");
    }

    private static GatehouseException.BadRequest bad(String detail, String field) {
        return new GatehouseException.BadRequest("invalid-identity-provider", detail, field);
    }
}
