package io.gatehouse.model;

import jakarta.inject.Singleton;

@Singleton
final class OllamaProviderFactory implements ModelProviderFactory {

    static final String KIND = "ollama";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String displayName() {
        return "Ollama";
    }

    @Override
    public String exampleBaseUrl() {
        return "http://localhost:11434";
    }

    @Override
    public ModelProvider create(ProviderEndpoint endpoint) {
        return new OllamaProvider(endpoint);
    }
}
