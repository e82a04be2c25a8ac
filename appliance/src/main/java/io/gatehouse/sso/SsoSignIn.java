package io.gatehouse.sso;

import com.nimbusds.jwt.JWT;
import io.gatehouse.access.AccountProvisioning;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.Origin;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.ReturnTo;
import io.gatehouse.auth.SessionCookies;
import io.gatehouse.auth.SessionService;
import io.gatehouse.auth.SignInAudit;
import io.gatehouse.auth.SignInCompletion;
import io.gatehouse.auth.User;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;
import org.pac4j.oidc.profile.OidcProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on, top to bottom: start (remember state, nonce and PKCE verifier for this browser, send it to
 * the provider) and finish (take that memory out once, let pac4j check state, redeem the code with the
 * verifier and validate the ID token's signature, issuer, audience, expiry and nonce; then turn the claims
 * into a Gatehouse user and open a session like any other sign-in).
 */
@Singleton
final class SsoSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(SsoSignIn.class);
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,39}$");
    private static final Pattern ERROR_CODE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    record Started(String location, String preLoginId) {
    }

    record Finished(SessionService.NewSession session, String location) {
    }

    private final IdentityProviderRepository providers;
    private final SsoClients clients;
    private final PreLoginStates states;
    private final PublicBase publicBase;
    private final AccountProvisioning provisioning;
    private final SignInCompletion completion;
    private final SessionService sessions;
    private final AuditTrail audit;

    SsoSignIn(IdentityProviderRepository providers, SsoClients clients, PreLoginStates states, PublicBase publicBase,
              AccountProvisioning provisioning, SignInCompletion completion, SessionService sessions, AuditTrail audit) {
        this.audit = audit;
        this.providers = providers;
        this.clients = clients;
        this.states = states;
        this.publicBase = publicBase;
        this.provisioning = provisioning;
        this.completion = completion;
        this.sessions = sessions;
    }

    Started start(String slug, @Nullable String next, @Nullable String invite, HttpRequest<?> request) {
        IdentityProvider provider = enabledProvider(slug);
        OidcClient client = clients.clientFor(provider);
        String inviteToken = invite == null || invite.isBlank() || invite.length() > 200 ? null : invite.strip();
        PreLoginStates.PreLogin preLogin = states.begin(provider.id(), ReturnTo.local(next), inviteToken);
        CallContext ctx = new CallContext(new SsoWebContext(request, publicBase.of(request)), new PreLoginSessionStore(preLogin));
        Optional<RedirectionAction> action;
        try {
            action = client.getRedirectionAction(ctx);
        } catch (RuntimeException e) {
            LOG.warn("Could not start a sign-in with identity provider {}: {}", slug, LogSafe.describe(e));
            action = Optional.empty();
        }
        if (action.isEmpty() || !(action.get() instanceof WithLocationAction located)) {
            throw new GatehouseException.Unavailable(HttpStatus.BAD_GATEWAY, "identity-provider-unreachable",
                    "Gatehouse could not start the sign-in with " + provider.displayName() + ". Try again in a minute; "
                            + "if it keeps failing, ask your administrator to check the provider's settings.");
        }
        states.keep(preLogin);
        return new Started(located.getLocation(), preLogin.id());
    }

    /**
     * Every refusal is recorded as a DENIED {@code auth.sign_in} row (FAILURE when the provider could not be reached)
     * with its reason; past the provider's answer, account provisioning and the sign-in's completion record their own.
     */
    Finished finish(String slug, @Nullable String preLoginId, HttpRequest<?> request) {
        Origin origin = SessionCookies.origin(request);
        String method = "sso:" + safe(slug);
        PreLoginStates.PreLogin preLogin = states.take(preLoginId).orElseThrow(() -> {
            LOG.warn("Sign-in callback for {} without a sign-in started in this browser (expired, replayed or from elsewhere)", safe(slug));
            return refusal(method, origin, "expired", null, new GatehouseException.BadRequest("sso-sign-in-expired",
                    "This sign-in has expired or was already completed. Go back to the sign-in page and start again."));
        });
        IdentityProvider provider;
        try {
            provider = enabledProvider(slug);
        } catch (GatehouseException e) {
            throw refusal(method, origin, e instanceof GatehouseException.NotFound ? "unknown_provider" : "provider_disabled", null, e);
        }
        if (!preLogin.providerId().equals(provider.id())) {
            LOG.warn("Sign-in callback for {} answers a sign-in started with another provider", slug);
            throw refusal(method, origin, "provider_mismatch", null, new GatehouseException.BadRequest("sso-sign-in-mismatch",
                    "This answer belongs to a sign-in with another provider. Go back to the sign-in page and start again."));
        }
        Optional<String> error = request.getParameters().getFirst("error");
        if (error.isPresent()) {
            String code = ERROR_CODE.matcher(error.get()).matches() ? error.get() : "unknown_error";
            LOG.warn("Identity provider {} answered the sign-in with error {}", slug, code);
            throw refusal(method, origin, "provider_error", code,
                    new GatehouseException.Forbidden(provider.displayName() + " did not sign you in (" + code + "). " + hintFor(code)));
        }
        AccountProvisioning.ExternalProfile profile;
        try {
            OidcProfile oidc = authenticate(provider, clients.clientFor(provider),
                    new CallContext(new SsoWebContext(request, publicBase.of(request)), new PreLoginSessionStore(preLogin)));
            profile = profileOf(provider, oidc);
        } catch (GatehouseException e) {
            String reason = e instanceof GatehouseException.Unavailable ? "provider_unreachable"
                    : "sso-state-mismatch".equals(e.type()) ? "state_mismatch" : "invalid_response";
            throw refusal(method, origin, reason, null, e);
        }
        User user;
        try {
            user = provisioning.userFor(profile, preLogin.invite(), new AccountProvisioning.Attempt(method, origin));
        } catch (GatehouseException e) {
            LOG.info("Sign-in via {} refused for subject {}: {}", slug, profile.subject(), e.getMessage());
            throw e;
        }
        SessionService.NewSession session = completion.complete(user, method, profile.email(), origin);
        return new Finished(session, landing(session, preLogin.next()));
    }

    /** Records the refused sign-in (who is unknown yet) and returns what the person is told. */
    private GatehouseException refusal(String method, Origin origin, String reason, @Nullable String providerCode, GatehouseException error) {
        AuditEvent.Builder event = SignInAudit.event("auth.sign_in", null, null, origin).detail("method", method)
                .detail("reason", reason).detail("provider_error", providerCode);
        audit.record(error instanceof GatehouseException.Unavailable ? event.failed() : event.denied());
        return error;
    }

    /** pac4j's three steps; every way they can fail ends here as a refusal the person can act on. */
    private OidcProfile authenticate(IdentityProvider provider, OidcClient client, CallContext ctx) {
        try {
            Credentials credentials = client.getCredentials(ctx).orElse(null);
            // Only an authorization response counts here; the logout parameters pac4j also understands do not.
            if (!(credentials instanceof OidcCredentials)) {
                throw refused(provider, "the answer held no authorization code", null);
            }
            credentials = client.validateCredentials(ctx, credentials).orElse(null);
            if (credentials == null) {
                throw refused(provider, "the authorization code was not accepted", null);
            }
            Optional<UserProfile> profile = client.getUserProfile(ctx, credentials);
            if (profile.isEmpty() || !(profile.get() instanceof OidcProfile oidc) || oidc.getIdTokenString() == null) {
                throw refused(provider, "no ID token came back", null);
            }
            return oidc;
        } catch (OidcStateMismatchException | OidcMissingStateParameterException | OidcMissingSessionStateException e) {
            LOG.warn("Sign-in callback for {} has the wrong state: {}", provider.slug(), LogSafe.describe(e));
            throw new GatehouseException.BadRequest("sso-state-mismatch", "This sign-in answer does not match the sign-in "
                    + "started in this browser. Go back to the sign-in page and start again.");
        } catch (GatehouseException e) {
            throw e;
        } catch (RuntimeException e) {
            if (hasCause(e, IOException.class)) {
                LOG.warn("Identity provider {} could not be reached to finish a sign-in: {}", provider.slug(), LogSafe.describe(e));
                throw new GatehouseException.Unavailable(HttpStatus.BAD_GATEWAY, "identity-provider-unreachable",
                        "Gatehouse could not reach " + provider.displayName() + " to finish your sign-in. Try again in a minute.");
            }
            throw refused(provider, "validation failed", e);
        }
    }

    private static AccountProvisioning.ExternalProfile profileOf(IdentityProvider provider, OidcProfile oidc) {
        Map<String, Object> idClaims;
        try {
            JWT idToken = oidc.getIdToken();
            idClaims = idToken.getJWTClaimsSet().getClaims();
        } catch (ParseException | RuntimeException e) {
            throw refused(provider, "the ID token could not be read", e);
        }
        Object subject = idClaims.get("sub");
        if (!(subject instanceof String sub) || sub.isBlank()) {
            throw refused(provider, "the ID token has no subject", null);
        }
        // Claims of the validated ID token win; UserInfo (fetched with the access token) fills the gaps, as for
        // providers whose ID token is thin (Okta).
        Function<String, Object> claim = name -> idClaims.containsKey(name) ? idClaims.get(name) : oidc.getAttribute(name);
        return ExternalProfiles.from(provider, sub, claim);
    }

    /** Where the new session goes first: the step it still owes, else where the person was going. */
    private String landing(SessionService.NewSession session, String next) {
        Caller.Access access = sessions.resolve(session.cookieValue()).map(Caller::access).orElse(Caller.Access.FULL);
        return switch (access) {
            case PENDING_APPROVAL -> "/pending";
            case MFA_CHALLENGE -> "/mfa";
            case MFA_ENROLMENT -> "/mfa/enrol";
            case FULL -> next;
        };
    }

    private IdentityProvider enabledProvider(String slug) {
        IdentityProvider provider = (slug != null && SLUG.matcher(slug).matches() ? providers.findBySlug(slug) : Optional.<IdentityProvider>empty())
                .orElseThrow(() -> new GatehouseException.NotFound("identity-provider-not-found",
                        "There is no single sign-on option at this address. Go back to the sign-in page and pick one from the list."));
        if (!provider.enabled()) {
            throw new GatehouseException.Forbidden("Sign-in with " + provider.displayName() + " is switched off. "
                    + "Use another way to sign in, or ask your administrator.");
        }
        return provider;
    }

    private static GatehouseException refused(IdentityProvider provider, String why, @Nullable Throwable cause) {
        LOG.warn("Sign-in via {} refused: {}{}", provider.slug(), why, cause == null ? "" : " (" + LogSafe.describe(cause) + ")");
        return new GatehouseException.Forbidden("Gatehouse could not verify the answer from " + provider.displayName()
                + ", so you are not signed in. Start again from the sign-in page; if it keeps failing, ask your administrator "
                + "to check the provider's settings (client id, secret and redirect URI).");
    }

    private static String hintFor(String code) {
        return switch (code) {
            case "access_denied" -> "You may have cancelled, or your account may not be allowed to use this application. "
                    + "Try again, or ask your administrator.";
            case "login_required", "interaction_required", "consent_required" ->
                    "Sign in at the provider and give your consent, then try again.";
            default -> "Try again; if it keeps failing, ask your administrator to check the provider's settings.";
        };
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String safe(String slug) {
        return slug != null && SLUG.matcher(slug).matches() ? slug : "(invalid slug)";
    }
}
