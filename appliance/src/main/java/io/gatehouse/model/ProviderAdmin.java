package io.gatehouse.model;

import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Admin operations on model providers and their models. Every change refreshes the catalog. */
@Singleton
public class ProviderAdmin {

    private final ProviderRepository providers;
    private final ModelRepository models;
    private final SecretBox secrets;
    private final ModelCatalog catalog;
    private final Clock clock;

    ProviderAdmin(ProviderRepository providers, ModelRepository models, SecretBox secrets, ModelCatalog catalog, Clock clock) {
        this.providers = providers;
        this.models = models;
        this.secrets = secrets;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What an admin submits. A null apiKey on update keeps the stored key; an empty one removes it. */
    public record ProviderForm(String name, String kind, String baseUrl, @Nullable String apiKey, List<ModelForm> models) {
    }

    public record ModelForm(String name, @Nullable BigDecimal inputPricePerMtok, @Nullable BigDecimal outputPricePerMtok) {
    }

    /** What an admin sees: never the key itself, only whether one is set. */
    public record ProviderView(UUID id, String name, String kind, String baseUrl, boolean hasApiKey, List<ModelForm> models) {
    }

    public List<ProviderView> list() {
        return providers.findAllOrderByName().stream().map(this::view).toList();
    }

    public ProviderView get(UUID id) {
        return view(providers.findById(id).orElseThrow(() -> notFound(id)));
    }

    @Transactional
    public ProviderView create(ProviderForm form) {
        validate(form, null);
        if (providers.findByName(form.name().strip()).isPresent()) {
            throw new GatehouseException.Conflict("provider-name-taken", "A provider named '" + form.name().strip() + "' already exists.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        byte[] key = form.apiKey() == null || form.apiKey().isBlank() ? null : secrets.seal(form.apiKey().strip(), ProviderRecord.secretContext(id));
        ProviderRecord saved = providers.save(new ProviderRecord(id, form.name().strip(), form.kind(), normalizeUrl(form.baseUrl()), key, now, now));
        saveModels(id, form.models());
        catalog.refresh();
        return view(saved);
    }

    @Transactional
    public ProviderView update(UUID id, ProviderForm form) {
        ProviderRecord existing = providers.findById(id).orElseThrow(() -> notFound(id));
        validate(form, id);
        providers.findByName(form.name().strip()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new GatehouseException.Conflict("provider-name-taken", "A provider named '" + form.name().strip() + "' already exists.");
        });
        byte[] key = existing.apiKeyCipher();
        if (form.apiKey() != null) {
            key = form.apiKey().isBlank() ? null : secrets.seal(form.apiKey().strip(), ProviderRecord.secretContext(id));
        }
        ProviderRecord saved = providers.update(new ProviderRecord(id, form.name().strip(), form.kind(), normalizeUrl(form.baseUrl()),
                key, existing.createdAt(), clock.instant()));
        models.deleteByProviderId(id);
        saveModels(id, form.models());
        catalog.refresh();
        return view(saved);
    }

    @Transactional
    public void delete(UUID id) {
        providers.findById(id).orElseThrow(() -> notFound(id));
        providers.deleteById(id);
        catalog.refresh();
    }

    public boolean providerNamed(String name) {
        return providers.findByName(name).isPresent();
    }

    private void saveModels(UUID providerId, List<ModelForm> forms) {
        for (ModelForm m : forms) {
            models.save(new ModelRecord(UUID.randomUUID(), providerId, m.name().strip(),
                    priceOrZero(m.inputPricePerMtok()), priceOrZero(m.outputPricePerMtok())));
        }
    }

    private void validate(ProviderForm form, UUID updating) {
        if (form == null || form.name() == null || form.name().isBlank() || form.name().strip().length() > 100) {
            throw bad("Give the provider a name of 1 to 100 characters.");
        }
        if (form.kind() == null || !catalog.factories().containsKey(form.kind())) {
            throw bad("Unknown provider kind '" + form.kind() + "'. Use one of: " + String.join(", ", catalog.factories().keySet().stream().sorted().toList()) + ".");
        }
        normalizeUrl(form.baseUrl());
        if (form.models() == null || form.models().isEmpty()) {
            throw bad("List at least one model name this provider serves.");
        }
        Set<String> seen = new HashSet<>();
        for (ModelForm m : form.models()) {
            if (m == null || m.name() == null || m.name().isBlank() || m.name().strip().length() > 200) {
                throw bad("Every model needs a name of 1 to 200 characters.");
            }
            if (!seen.add(m.name().strip())) {
                throw bad("The model '" + m.name().strip() + "' is listed twice.");
            }
            for (BigDecimal price : new BigDecimal[] {m.inputPricePerMtok(), m.outputPricePerMtok()}) {
                if (price != null && (price.signum() < 0 || price.compareTo(new BigDecimal("100000")) > 0)) {
                    throw bad("Prices are per one million tokens and must be between 0 and 100000.");
                }
            }
        }
        for (ModelRecord taken : models.findByNameIn(seen)) {
            if (!taken.providerId().equals(updating)) {
                throw new GatehouseException.Conflict("model-name-taken",
                        "The model name '" + taken.name() + "' is already served by another provider. Model names must be unique.");
            }
        }
    }

    private static String normalizeUrl(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw bad("The base URL must be an http or https URL without query or credentials, e.g. https://api.openai.com/v1.");
            }
            String s = uri.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        } catch (IllegalArgumentException e) {
            throw bad("The base URL is not a valid URL, e.g. https://api.openai.com/v1.");
        }
    }

    private static BigDecimal priceOrZero(BigDecimal price) {
        return price == null ? BigDecimal.ZERO : price;
    }

    private ProviderView view(ProviderRecord p) {
        return new ProviderView(p.id(), p.name(), p.kind(), p.baseUrl(), p.apiKeyCipher() != null,
                models.findByProviderId(p.id()).stream()
                        .map(m -> new ModelForm(m.name(), m.inputPricePerMtok(), m.outputPricePerMtok())).toList());
    }

    private static GatehouseException bad(String detail) {
        return new GatehouseException.BadRequest("invalid-provider", detail);
    }

    private static GatehouseException notFound(UUID id) {
        return new GatehouseException.NotFound("provider-not-found", "No model provider with id " + id + ".");
    }
}
