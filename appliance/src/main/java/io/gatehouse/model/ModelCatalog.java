package io.gatehouse.model;

import io.gatehouse.secret.SecretBox;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models users can call, held in memory so the hot path never reads the database or decrypts a key.
 * Rebuilt after every admin change on this node, and every few seconds so other portal nodes follow.
 */
@Singleton
public class ModelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private final ProviderRepository providers;
    private final ModelRepository models;
    private final SecretBox secrets;
    private final ModelSettings settings;
    private final Map<String, ModelProviderFactory> factories;
    private final HttpClient http;
    private volatile Map<String, AvailableModel> byName = Map.of();

    ModelCatalog(ProviderRepository providers, ModelRepository models, SecretBox secrets, ModelSettings settings,
                 List<ModelProviderFactory> factories) {
        this.providers = providers;
        this.models = models;
        this.secrets = secrets;
        this.settings = settings;
        this.factories = factories.stream().collect(Collectors.toUnmodifiableMap(ModelProviderFactory::kind, Function.identity()));
        // HTTP/1.1: most self-hosted model servers do not speak h2c. The client's own executor is kept: callers
        // block on it from virtual threads, and a virtual-thread-per-task executor here started a thread per
        // async step (measured: ~9 per request).
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        refresh();
    }

    public Optional<AvailableModel> find(String name) {
        return Optional.ofNullable(name).map(byName::get);
    }

    public List<AvailableModel> all() {
        return byName.values().stream().sorted(Comparator.comparing(AvailableModel::name)).toList();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    Map<String, ModelProviderFactory> factories() {
        return factories;
    }

    @Scheduled(fixedDelay = "10s", initialDelay = "10s")
    public synchronized void refresh() {
        Map<java.util.UUID, ProviderRecord> providerById = providers.findAll().stream()
                .collect(Collectors.toMap(ProviderRecord::id, Function.identity()));
        Map<java.util.UUID, ModelProvider> instances = new java.util.HashMap<>();
        Map<String, AvailableModel> next = new java.util.HashMap<>();
        for (ModelRecord model : models.findAll()) {
            ProviderRecord provider = providerById.get(model.providerId());
            if (provider == null) {
                continue;
            }
            ModelProvider instance = instances.computeIfAbsent(provider.id(), id -> instantiate(provider));
            if (instance != null) {
                next.put(model.name(), new AvailableModel(model.name(), provider.id(), provider.name(), provider.kind(),
                        model.inputPricePerMtok(), model.outputPricePerMtok(), instance));
            }
        }
        byName = Map.copyOf(next);
    }

    private ModelProvider instantiate(ProviderRecord provider) {
        ModelProviderFactory factory = factories.get(provider.kind());
        if (factory == null) {
            LOG.error("Provider {} has unknown kind '{}'; its models are unavailable", provider.name(), provider.kind());
            return null;
        }
        try {
            String key = provider.apiKeyCipher() == null ? null
                    : secrets.open(provider.apiKeyCipher(), ProviderRecord.secretContext(provider.id()));
            return factory.create(new ProviderEndpoint(URI.create(provider.baseUrl()), key, http, settings.requestTimeout()));
        } catch (SecretBox.SecretUnreadableException e) {
            LOG.error("The API key of provider {} cannot be decrypted ({}); was GATEHOUSE_MASTER_KEY changed? Re-enter the key on the Models page.",
                    provider.name(), e.getMessage());
            return null;
        }
    }
}
