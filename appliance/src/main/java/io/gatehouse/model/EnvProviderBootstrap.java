package io.gatehouse.model;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless installs: GATEHOUSE_MODEL_BASE_URL (+ _API_KEY, _NAMES, _KIND) registers one provider named
 * {@value #NAME} at start if it does not exist yet. After that the admin owns it; the environment is not
 * applied again, so edits on the Models page are never overwritten.
 */
@Singleton
final class EnvProviderBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(EnvProviderBootstrap.class);
    static final String NAME = "Default";

    private final ProviderAdmin admin;
    private final String kind;
    private final String baseUrl;
    private final String apiKey;
    private final String names;

    EnvProviderBootstrap(ProviderAdmin admin,
                         @Value("${gatehouse.bootstrap.model-kind:openai}") String kind,
                         @Nullable @Value("${gatehouse.bootstrap.model-base-url:}") String baseUrl,
                         @Nullable @Value("${gatehouse.bootstrap.model-api-key:}") String apiKey,
                         @Nullable @Value("${gatehouse.bootstrap.model-names:}") String names) {
        this.admin = admin;
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.names = names;
    }

    @EventListener
    void onStart(ServerStartupEvent event) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return;
        }
        if (admin.providerNamed(NAME)) {
            LOG.info("Model provider '{}' exists; GATEHOUSE_MODEL_* is not applied again", NAME);
            return;
        }
        List<ProviderAdmin.ModelForm> models = Arrays.stream(names == null ? new String[0] : names.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(n -> new ProviderAdmin.ModelForm(n, null, null)).toList();
        if (models.isEmpty()) {
            throw new IllegalStateException("GATEHOUSE_MODEL_BASE_URL is set but GATEHOUSE_MODEL_NAMES is empty. List the model names, comma-separated.");
        }
        admin.create(new ProviderAdmin.ProviderForm(NAME, kind, baseUrl, apiKey, models));
        LOG.info("Registered model provider '{}' ({}) with models {} from the environment", NAME, baseUrl,
                models.stream().map(ProviderAdmin.ModelForm::name).toList());
    }
}
