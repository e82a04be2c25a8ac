package io.gatehouse.chat;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelCatalog;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.ModelResult;
import io.gatehouse.model.StreamObserver;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat turn, in order, in one place. The chat page and {@code /v1/chat/completions} are two adapters
 * over it, so whatever is enforced here is enforced for both.
 *
 * <p>Today a turn is: resolve the model the caller asked for, call it (streamed or not), log the usage.
 * Grants and the model allowlist, kill-switch, budget, call records, tool dispatch and the guardrails
 * (DESIGN.md, request flow steps 2-7) slot in here, before and after {@link #callModel}.
 */
@Singleton
public final class ChatPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ChatPipeline.class);

    private final ModelCatalog catalog;

    ChatPipeline(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** What a caller asks of a model for one turn. */
    public record Turn(String model, List<ChatMessage> messages, @Nullable Integer maxTokens, @Nullable Double temperature) {
    }

    /** Resolves the model before anything is sent, so an unknown model is a clear 404 and not a stream error. */
    public AvailableModel resolveModel(Caller caller, String model) {
        if (catalog.isEmpty()) {
            throw new NoModelConfiguredException();
        }
        return catalog.find(model).orElseThrow(() -> new GatehouseException.NotFound("model-not-found",
                "The model '" + model + "' does not exist or you do not have access to it."));
    }

    /** Runs the turn; with an observer the answer is streamed to it chunk by chunk. */
    public ModelResult run(Caller caller, Turn turn, @Nullable StreamObserver observer) {
        AvailableModel model = resolveModel(caller, turn.model());
        ModelResult result = callModel(model, turn, observer);
        LOG.debug("Turn for user {} on model {}: {} tokens in, {} out", caller.userId(), model.name(),
                result.usage().inputTokens(), result.usage().outputTokens());
        return result;
    }

    private static ModelResult callModel(AvailableModel model, Turn turn, @Nullable StreamObserver observer) {
        ModelRequest request = new ModelRequest(model.name(), turn.messages(), turn.maxTokens(), turn.temperature());
        return observer == null ? model.provider().complete(request) : model.provider().stream(request, observer);
    }

    /** No provider is configured at all: the chat says so and points admins to the Models page. */
    public static final class NoModelConfiguredException extends RuntimeException {
        NoModelConfiguredException() {
            super("No AI model is configured yet. An admin can add one on the Models page (/admin/models).");
        }
    }
}
