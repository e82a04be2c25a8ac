package io.gatehouse.model;

import io.micronaut.core.annotation.Nullable;
import java.util.List;

/** A provider-neutral chat request. The model name is the provider's own id for it; tools may be empty. */
public record ModelRequest(String model, List<ChatMessage> messages, @Nullable Integer maxTokens, @Nullable Double temperature,
                           List<ToolSpec> tools) {

    public ModelRequest(String model, List<ChatMessage> messages, @Nullable Integer maxTokens, @Nullable Double temperature) {
        this(model, messages, maxTokens, temperature, List.of());
    }
}
