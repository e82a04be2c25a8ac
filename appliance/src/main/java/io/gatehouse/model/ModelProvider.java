package io.gatehouse.model;

/**
 * A model server the portal can call: OpenAI-compatible, Ollama, Anthropic. One instance per configured
 * provider; implementations are thread-safe and blocking (callers run them on virtual threads).
 */
public interface ModelProvider {

    /** One complete answer. */
    ModelResult complete(ModelRequest request);

    /** The answer streamed chunk by chunk to the observer; returns the whole answer when done. */
    ModelResult stream(ModelRequest request, StreamObserver observer);

    /** Whether requests may carry tools; the pipeline offers none to providers that cannot call them. */
    default boolean supportsTools() {
        return false;
    }
}
