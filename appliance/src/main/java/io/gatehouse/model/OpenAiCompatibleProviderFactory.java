package io.gatehouse.model;

import jakarta.inject.Singleton;

@Singleton
final class OpenAiCompatibleProviderFactory implements ModelProviderFactory {

    static final String KIND = "openai";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String displayName() {
        return "OpenAI-compatible (OpenAI, vLLM, LM Studio, llama.cpp ...)";
    }

    @Override
    public String exampleBaseUrl() {
        return "https://api.openai.com/v1";
    }

    @Override
    public ModelProvider create(ProviderEndpoint endpoint) {
        return new OpenAiCompatibleProvider(endpoint);
    }
}
