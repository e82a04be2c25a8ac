package io.gatehouse.model;

import jakarta.inject.Singleton;

@Singleton
final class AnthropicProviderFactory implements ModelProviderFactory {

    static final String KIND = "anthropic";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String displayName() {
        return "Anthropic";
    }

    @Override
    public String exampleBaseUrl() {
        return "https://api.anthropic.com";
    }

    @Override
    public ModelProvider create(ProviderEndpoint endpoint) {
        return new AnthropicProvider(endpoint);
    }
}
