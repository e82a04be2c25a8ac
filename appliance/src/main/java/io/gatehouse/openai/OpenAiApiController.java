package io.gatehouse.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.ChatPipeline;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ModelCatalog;
import io.gatehouse.model.ModelResult;
import io.gatehouse.model.StreamObserver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The OpenAI-compatible API for scripts ({@code Authorization: Bearer gh_...}): {@code GET /v1/models} and
 * {@code POST /v1/chat/completions}, streamed or not, in the OpenAI wire format so the official client
 * libraries work. It runs through the same {@link ChatPipeline} as the chat page.
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class OpenAiApiController {

    private final ChatPipeline pipeline;
    private final ModelCatalog catalog;
    private final ObjectMapper json;
    private final Clock clock;

    OpenAiApiController(ChatPipeline pipeline, ModelCatalog catalog, ObjectMapper json, Clock clock) {
        this.pipeline = pipeline;
        this.catalog = catalog;
        this.json = json;
        this.clock = clock;
    }

    @Get("/models")
    ObjectNode models(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (AvailableModel model : catalog.all()) {
            data.addObject().put("id", model.name()).put("object", "model").put("created", 0).put("owned_by", model.providerName());
        }
        return list;
    }

    @Post(value = "/chat/completions", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> chatCompletions(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body String body) {
        CompletionRequest request = CompletionRequest.parse(json, body);
        // Resolve before answering so an unknown model is a 404, not an error inside a 200 stream.
        pipeline.resolveModel(caller, request.turn().model());
        String id = CompletionChunks.newId();
        long created = clock.instant().getEpochSecond();
        if (!request.stream()) {
            ModelResult result = pipeline.run(caller, request.turn(), null);
            return HttpResponse.ok(CompletionChunks.completion(json, id, created, request.turn().model(), result))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        Flux<Event<String>> events = Flux.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            AtomicBoolean started = new AtomicBoolean();
            sink.onDispose(() -> cancelled.set(true));
            Thread.ofVirtual().name("v1-stream").start(() -> {
                try {
                    ModelResult result = pipeline.run(caller, request.turn(), new StreamObserver() {
                        @Override
                        public void onDelta(String text) {
                            if (started.compareAndSet(false, true)) {
                                sink.next(Event.of(CompletionChunks.roleChunk(json, id, created, request.turn().model())));
                            }
                            sink.next(Event.of(CompletionChunks.deltaChunk(json, id, created, request.turn().model(), text)));
                        }

                        @Override
                        public boolean cancelled() {
                            return cancelled.get();
                        }
                    });
                    if (started.compareAndSet(false, true)) {
                        sink.next(Event.of(CompletionChunks.roleChunk(json, id, created, request.turn().model())));
                    }
                    sink.next(Event.of(CompletionChunks.finishChunk(json, id, created, request.turn().model(), result.finishReason())));
                    if (request.includeUsage()) {
                        sink.next(Event.of(CompletionChunks.usageChunk(json, id, created, request.turn().model(), result.usage())));
                    }
                    sink.next(Event.of("[DONE]"));
                    sink.complete();
                } catch (RuntimeException e) {
                    if (!started.get()) {
                        // Nothing sent yet: the failure becomes a normal HTTP error response with its status.
                        sink.error(e);
                    } else {
                        sink.next(Event.of(OpenAiErrors.streamError(json, e)));
                        sink.complete();
                    }
                }
            });
        }, FluxSink.OverflowStrategy.BUFFER);
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }
}
