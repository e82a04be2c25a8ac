package io.gatehouse.chat;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.guardrail.MarkdownRenderer;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelCallException;
import io.gatehouse.model.ModelCatalog;
import io.gatehouse.model.ModelResult;
import io.gatehouse.connector.ToolOutcome;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat page's adapter over {@link ChatPipeline}: keeps the conversation in MongoDB. The user's message
 * is stored before the model is called, and the answer (or the error, with any partial text) after, so a
 * failure loses nothing.
 */
@Singleton
public final class ChatService {

    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
    static final int MAX_MESSAGE_CHARS = 32_000;
    static final int HISTORY_MESSAGES = 40;

    private final ChatPipeline pipeline;
    private final ConversationStore store;
    private final ModelCatalog catalog;
    private final MarkdownRenderer markdown;

    ChatService(ChatPipeline pipeline, ConversationStore store, ModelCatalog catalog, MarkdownRenderer markdown) {
        this.pipeline = pipeline;
        this.store = store;
        this.catalog = catalog;
        this.markdown = markdown;
    }

    /** What the browser sends. */
    public record SendRequest(@Nullable UUID conversationId, @Nullable String model, String message) {
    }

    /** A validated turn, ready to stream: the conversation exists and the model is known. */
    public record PreparedTurn(Caller caller, Conversation conversation, AvailableModel model, String message) {
    }

    /** What the browser receives while the answer streams. */
    public interface Events {
        void delta(String text);

        void toolStep(StoredMessage.ToolStep step);

        void done(StoredMessage answer);

        void failed(String message, StoredMessage stored);

        boolean cancelled();
    }

    /** Checks everything that can be checked before streaming, so those failures are plain HTTP errors. */
    public PreparedTurn prepare(Caller caller, SendRequest request) {
        String message = request == null || request.message() == null ? "" : request.message().strip();
        if (message.isEmpty()) {
            throw new GatehouseException.BadRequest("empty-message", "Type a message first.");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new GatehouseException.BadRequest("message-too-long",
                    "The message has " + message.length() + " characters; the limit is " + MAX_MESSAGE_CHARS + ".");
        }
        Conversation conversation = request.conversationId() == null ? null
                : store.find(caller.userId(), request.conversationId()).orElseThrow(() -> new GatehouseException.NotFound(
                        "conversation-not-found", "This conversation does not exist or is not yours."));
        String modelName = request.model() != null && !request.model().isBlank() ? request.model()
                : conversation != null && catalog.find(conversation.model()).isPresent() ? conversation.model()
                : catalog.all().stream().findFirst().map(AvailableModel::name).orElse(null);
        AvailableModel model = pipeline.resolveModel(caller, modelName);
        if (conversation == null) {
            conversation = store.create(caller.userId(), title(message), model.name());
        }
        return new PreparedTurn(caller, conversation, model, message);
    }

    /** Stores the user's message, streams the answer to {@code events}, stores the outcome. */
    public void run(PreparedTurn turn, Events events) {
        List<StoredMessage> earlier = store.messages(turn.conversation());
        store.append(turn.conversation(), ChatMessage.USER, turn.message(), null, 0, 0, StoredMessage.COMPLETE, null);
        List<ChatMessage> history = new ArrayList<>();
        earlier.stream().filter(m -> StoredMessage.COMPLETE.equals(m.status()))
                .skip(Math.max(0, earlier.size() - HISTORY_MESSAGES))
                .forEach(m -> history.add(new ChatMessage(m.role(), m.text())));
        history.add(new ChatMessage(ChatMessage.USER, turn.message()));

        StringBuilder partial = new StringBuilder();
        List<StoredMessage.ToolStep> steps = new ArrayList<>();
        try {
            ChatPipeline.TurnResult turnResult = pipeline.run(turn.caller(), new ChatPipeline.Turn(turn.model().name(), history, null, null, turn.conversation().id().toString()),
                    new TurnObserver() {
                        @Override
                        public void onDelta(String text) {
                            partial.append(text);
                            events.delta(text);
                        }

                        @Override
                        public void onToolStep(ToolOutcome outcome) {
                            StoredMessage.ToolStep step = new StoredMessage.ToolStep(outcome.connector(), outcome.tool(),
                                    outcome.argumentsJson(), outcome.error(), outcome.durationMillis(), outcome.rows());
                            steps.add(step);
                            events.toolStep(step);
                        }

                        @Override
                        public boolean cancelled() {
                            return events.cancelled();
                        }
                    });
            ModelResult result = turnResult.answer();
            // The done event carries the final answer (its text and sanitized HTML), which replaces what was
            // streamed: they differ when the guardrail withheld the answer, or when text came before tool calls.
            StoredMessage answer = store.append(turn.conversation(), ChatMessage.ASSISTANT, result.text(), turn.model().name(),
                    result.usage().inputTokens(), result.usage().outputTokens(), StoredMessage.COMPLETE, null, steps,
                    turnResult.removals(), markdown.render(turn.caller(), result.text()));
            events.done(answer);
        } catch (ModelCallException | GatehouseException | ChatPipeline.NoModelConfiguredException | ChatPipeline.TurnStoppedException e) {
            LOG.info("Chat turn failed for user {}: {}", turn.caller().userId(), e.getMessage());
            StoredMessage stored = store.append(turn.conversation(), ChatMessage.ASSISTANT, partial.toString(), turn.model().name(),
                    0, 0, StoredMessage.ERROR, e.getMessage(), steps);
            events.failed(e.getMessage(), stored);
        }
    }

    private static String title(String message) {
        String oneLine = message.replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "…";
    }
}
