package io.gatehouse.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.ChatPipeline;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ModelCatalog;
import io.gatehouse.model.ModelResult;
import io.gatehouse.chat.TurnObserver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Sinks;

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
        for (AvailableModel model : pipeline.modelsFor(caller)) {
            data.addObject().put("id", model.name()).put("object", "model").put("created", 0).put("owned_by", model.providerName());
        }
        return list;
    }

    @Post(value = "/chat/completions", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    HttpResponse<?> chatCompletions(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body String body) throws InterruptedException {
        CompletionRequest request = CompletionRequest.parse(json, body);
        // Resolve before answering so an unknown model is a 404, not an error inside a 200 stream.
        pipeline.resolveModel(caller, request.turn().model());
        String id = CompletionChunks.newId();
        long created = clock.instant().getEpochSecond();
        if (!request.stream()) {
            ModelResult result = pipeline.run(caller, request.turn(), null).answer();
            return HttpResponse.ok(CompletionChunks.completion(json, id, created, request.turn().model(), result))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return stream(caller, request, id, created);
    }

    /**
     * Streams the answer. The response status waits for the model's first token: a failure before it (key
     * rejected, server down) is still a plain HTTP error with its status; a failure after it can only be
     * reported inside the stream, as OpenAI does.
     */
    private HttpResponse<?> stream(Caller caller, CompletionRequest request, String id, long created) throws InterruptedException {
        String model = request.turn().model();
        Sinks.Many<Event<String>> events = Sinks.many().unicast().onBackpressureBuffer();
        CompletableFuture<Void> firstToken = new CompletableFuture<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread.ofVirtual().name("v1-stream").start(() -> {
            try {
                ModelResult result = pipeline.run(caller, request.turn(), new TurnObserver() {
                    @Override
                    public void onDelta(String text) {
                        if (!firstToken.isDone()) {
                            events.tryEmitNext(Event.of(CompletionChunks.roleChunk(json, id, created, model)));
                            firstToken.complete(null);
                        }
                        events.tryEmitNext(Event.of(CompletionChunks.deltaChunk(json, id, created, model, text)));
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelled.get();
                    }
                }).answer();
                if (!firstToken.isDone()) {
                    events.tryEmitNext(Event.of(CompletionChunks.roleChunk(json, id, created, model)));
                }
                events.tryEmitNext(Event.of(CompletionChunks.finishChunk(json, id, created, model, result.finishReason())));
                if (request.includeUsage()) {
                    events.tryEmitNext(Event.of(CompletionChunks.usageChunk(json, id, created, model, result.usage())));
                }
                events.tryEmitNext(Event.of("[DONE]"));
                events.tryEmitComplete();
                firstToken.complete(null);
            } catch (RuntimeException e) {
                // A gate (the kill-switch) stopped the answer: a 503 with its message, not an unexplained 500/502.
                RuntimeException failure = e instanceof ChatPipeline.TurnStoppedException ? new GatehouseException.Unavailable(
                        HttpStatus.SERVICE_UNAVAILABLE, "turn-stopped", e.getMessage()) : e;
                if (!firstToken.completeExceptionally(failure)) {
                    events.tryEmitNext(Event.of(OpenAiErrors.streamError(json, failure)));
                    events.tryEmitComplete();
                }
            }
        });
        try {
            firstToken.get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
        return HttpResponse.ok(events.asFlux().doOnCancel(() -> cancelled.set(true))).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }
}
