package io.gatehouse.chat;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The chat page's JSON + SSE API. {@code POST /api/v1/chat/messages} answers with an event stream:
 * {@code conversation} (id and title), then {@code tool} and {@code delta} events, then {@code done} (with the final
 * text, its sanitized HTML and the guardrail's removals) or {@code error}.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ChatApiController {

    private final ChatService chat;
    private final ConversationStore store;

    ChatApiController(ChatService chat, ConversationStore store) {
        this.chat = chat;
        this.store = store;
    }

    @Post(value = "/chat/messages", consumes = MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_EVENT_STREAM)
    Flux<Event<Map<String, Object>>> send(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                          @Body ChatService.SendRequest request) {
        ChatService.PreparedTurn turn = chat.prepare(caller, request);
        return Flux.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onDispose(() -> cancelled.set(true));
            sink.next(Event.<Map<String, Object>>of(Map.of("conversationId", turn.conversation().id().toString(),
                    "title", turn.conversation().title(), "model", turn.model().name())).name("conversation"));
            Thread.ofVirtual().name("chat-turn").start(() -> {
                try {
                    chat.run(turn, new SinkEvents(sink, cancelled));
                } catch (RuntimeException e) {
                    sink.next(Event.<Map<String, Object>>of(Map.of("message", "Something went wrong on the server; your message was kept."))
                            .name("error"));
                    throw e;
                } finally {
                    sink.complete();
                }
            });
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    record ConversationSummary(UUID id, String title, String model, String updatedAt) {
    }

    @Get("/conversations")
    List<ConversationSummary> conversations(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return store.recent(caller.userId(), 100).stream()
                .map(c -> new ConversationSummary(c.id(), c.title(), c.model(), c.updatedAt().toString())).toList();
    }

    record ConversationDetail(UUID id, String title, String model, List<StoredMessage> messages) {
    }

    @Get("/conversations/{id}")
    ConversationDetail conversation(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        Conversation c = store.find(caller.userId(), id).orElseThrow(() -> new GatehouseException.NotFound(
                "conversation-not-found", "This conversation does not exist or is not yours."));
        return new ConversationDetail(c.id(), c.title(), c.model(), store.messages(c));
    }

    private record SinkEvents(FluxSink<Event<Map<String, Object>>> sink, AtomicBoolean cancelledFlag) implements ChatService.Events {
        @Override
        public void delta(String text) {
            sink.next(Event.<Map<String, Object>>of(Map.of("text", text)).name("delta"));
        }

        @Override
        public void toolStep(StoredMessage.ToolStep step) {
            Map<String, Object> data = new java.util.HashMap<>();
            data.put("connector", step.connector());
            data.put("tool", step.tool());
            data.put("arguments", step.arguments());
            data.put("error", step.error());
            data.put("durationMillis", step.durationMillis());
            data.put("rows", step.rows());
            sink.next(Event.<Map<String, Object>>of(data).name("tool"));
        }

        @Override
        public void done(StoredMessage answer) {
            // The final answer replaces the streamed text: as sanitized HTML, with the guardrail's notice if any.
            Map<String, Object> data = new java.util.HashMap<>();
            data.put("messageId", answer.id());
            data.put("model", answer.model());
            data.put("inputTokens", answer.inputTokens());
            data.put("outputTokens", answer.outputTokens());
            data.put("text", answer.text());
            data.put("html", answer.html());
            data.put("removals", answer.removals());
            data.put("notice", answer.notice());
            sink.next(Event.<Map<String, Object>>of(data).name("done"));
        }

        @Override
        public void failed(String message, StoredMessage stored) {
            sink.next(Event.<Map<String, Object>>of(Map.of("message", message, "messageId", stored.id())).name("error"));
        }

        @Override
        public boolean cancelled() {
            return cancelledFlag.get();
        }
    }
}
