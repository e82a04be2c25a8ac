package io.gatehouse.model;

/**
 * Creates providers of one kind. Adding a provider kind is adding a factory bean; nothing else changes.
 */
public interface ModelProviderFactory {

    /** Stable id stored with the provider row, e.g. {@code openai}. */
    String kind();

    /** Shown on the Models page. */
    String displayName();

    /** Example base URL, shown as a hint on the Models page. */
    String exampleBaseUrl();

    ModelProvider create(ProviderEndpoint endpoint);
}
