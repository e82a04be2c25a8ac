package io.gatehouse.sso;

import io.gatehouse.auth.SignInOptions;
import jakarta.inject.Singleton;
import java.util.List;

/** The "Sign in with ..." buttons on the sign-in and invite pages: one per enabled identity provider. */
@Singleton
final class EnabledProviders implements SignInOptions {

    private final IdentityProviderRepository providers;

    EnabledProviders(IdentityProviderRepository providers) {
        this.providers = providers;
    }

    @Override
    public List<Option> providers() {
        return providers.listEnabled().stream().map(p -> new Option(p.slug(), p.displayName())).toList();
    }
}
