package io.gatehouse.model;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Admin operations on model providers and their models. Every change refreshes the catalog. Each change writes its
 * audit rows ({@code provider.created/updated/deleted}, {@code provider.api_key_changed}, {@code model.prices_changed})
 * inside its transaction, after the writes and before the commit and the catalog refresh: a change the trail
 * cannot record is rolled back (503) and never reaches the catalog. Keys never reach the trail, only whether one changed.
 */
@Singleton
public class ProviderAdmin {

    private final ProviderRepository providers;
    private final ModelRepository models;
    private final SecretBox secrets;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final AuditTrail trail;

    ProviderAdmin(ProviderRepository providers, ModelRepository models, SecretBox secrets, ModelCatalog catalog, Clock clock,
                  AuditTrail trail) {
        this.trail = trail;
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

    /** The provider configured from the environment at start: a system change, with no actor. */
    @Transactional
    public ProviderView create(ProviderForm form) {
        return create(null, form);
    }

    @Transactional
    public ProviderView create(@Nullable Caller admin, ProviderForm form) {
        validate(form, null);
        if (providers.findByName(form.name().strip()).isPresent()) {
            throw new GatehouseException.Conflict("provider-name-taken", "A provider named '" + form.name().strip() + "' already exists.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        byte[] key = form.apiKey() == null || form.apiKey().isBlank() ? null : secrets.seal(form.apiKey().strip(), ProviderRecord.secretContext(id));
        ProviderRecord saved = providers.save(new ProviderRecord(id, form.name().strip(), form.kind(), normalizeUrl(form.baseUrl()), key, now, now));
        saveModels(id, form.models());
        trail.record(event(admin, "provider.created", saved).detail("baseUrl", saved.baseUrl()).detail("apiKeySet", key != null)
                .detail("models", form.models().stream().map(m -> Map.of("name", m.name().strip(),
                        "inputPricePerMtok", price(priceOrZero(m.inputPricePerMtok())),
                        "outputPricePerMtok", price(priceOrZero(m.outputPricePerMtok())))).toList()));
        catalog.refresh();
        return view(saved);
    }

    @Transactional
    public ProviderView update(Caller admin, UUID id, ProviderForm form) {
        ProviderRecord existing = providers.findById(id).orElseThrow(() -> notFound(id));
        validate(form, id);
        providers.findByName(form.name().strip()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new GatehouseException.Conflict("provider-name-taken", "A provider named '" + form.name().strip() + "' already exists.");
        });
        byte[] key = existing.apiKeyCipher();
        if (form.apiKey() != null) {
            key = form.apiKey().isBlank() ? null : secrets.seal(form.apiKey().strip(), ProviderRecord.secretContext(id));
        }
        String keyChange = keyChange(existing, form.apiKey());
        Map<String, ModelRecord> modelsBefore = new LinkedHashMap<>();
        models.findByProviderId(id).forEach(m -> modelsBefore.put(m.name(), m));
        ProviderRecord saved = providers.update(new ProviderRecord(id, form.name().strip(), form.kind(), normalizeUrl(form.baseUrl()),
                key, existing.createdAt(), clock.instant()));
        models.deleteByProviderId(id);
        saveModels(id, form.models());
        recordUpdate(admin, existing, saved, keyChange, modelsBefore, form.models());
        catalog.refresh();
        return view(saved);
    }

    @Transactional
    public void delete(Caller admin, UUID id) {
        ProviderRecord existing = providers.findById(id).orElseThrow(() -> notFound(id));
        List<String> served = models.findByProviderId(id).stream().map(ModelRecord::name).toList();
        providers.deleteById(id);
        trail.record(event(admin, "provider.deleted", existing).detail("models", served));
        catalog.refresh();
    }

    private static AuditEvent.Builder event(@Nullable Caller admin, String action, ProviderRecord provider) {
        AuditEvent.Builder event = admin == null ? AuditEvent.of(action) : admin.audit(action);
        return event.target("provider", provider.id()).detail("name", provider.name()).detail("kind", provider.kind());
    }

    /** set, replaced or removed; null when the key stays (left out, or the same key sent again). */
    private @Nullable String keyChange(ProviderRecord existing, @Nullable String submitted) {
        if (submitted == null) {
            return null;
        }
        byte[] stored = existing.apiKeyCipher();
        if (submitted.isBlank()) {
            return stored == null ? null : "removed";
        }
        if (stored == null) {
            return "set";
        }
        return secrets.open(stored, ProviderRecord.secretContext(existing.id())).equals(submitted.strip()) ? null : "replaced";
    }

    /**
     * provider.updated (what changed), provider.api_key_changed when the key did, and model.prices_changed for each
     * model whose prices changed. Queued together so they commit in one batch, then awaited.
     */
    private void recordUpdate(Caller admin, ProviderRecord before, ProviderRecord after, @Nullable String keyChange,
                              Map<String, ModelRecord> modelsBefore, List<ModelForm> modelsAfter) {
        List<String> changed = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            changed.add("name");
        }
        if (!before.kind().equals(after.kind())) {
            changed.add("kind");
        }
        if (!before.baseUrl().equals(after.baseUrl())) {
            changed.add("baseUrl");
        }
        Set<String> afterNames = new HashSet<>();
        List<String> added = new ArrayList<>();
        List<AuditEvent> rows = new ArrayList<>();
        for (ModelForm m : modelsAfter) {
            String name = m.name().strip();
            afterNames.add(name);
            ModelRecord old = modelsBefore.get(name);
            BigDecimal input = priceOrZero(m.inputPricePerMtok());
            BigDecimal output = priceOrZero(m.outputPricePerMtok());
            if (old == null) {
                added.add(name);
            } else if (old.inputPricePerMtok().compareTo(input) != 0 || old.outputPricePerMtok().compareTo(output) != 0) {
                rows.add(admin.audit("model.prices_changed").target("model", name).detail("providerId", after.id())
                        .detail("provider", after.name())
                        .detail("inputPricePerMtokBefore", price(old.inputPricePerMtok()))
                        .detail("inputPricePerMtok", price(input))
                        .detail("outputPricePerMtokBefore", price(old.outputPricePerMtok()))
                        .detail("outputPricePerMtok", price(output)).build());
            }
        }
        List<String> removed = modelsBefore.keySet().stream().filter(n -> !afterNames.contains(n)).toList();
        rows.addFirst(event(admin, "provider.updated", after).detail("changed", changed).detail("modelsAdded", added)
                .detail("modelsRemoved", removed).detail("apiKeyChanged", keyChange != null).build());
        if (keyChange != null) {
            rows.add(event(admin, "provider.api_key_changed", after).detail("change", keyChange).build());
        }
        List<AuditTrail.Appending> pending = rows.stream().map(trail::append).toList();
        pending.forEach(AuditTrail.Appending::await);
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

    /** A price as text for the trail, exact and without the column's trailing zeros ("2.5", not "2.500000"). */
    private static String price(BigDecimal price) {
        return price.signum() == 0 ? "0" : price.stripTrailingZeros().toPlainString();
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
