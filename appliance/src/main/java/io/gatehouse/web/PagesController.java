package io.gatehouse.web;

import io.gatehouse.auth.ApiTokenService;
import io.gatehouse.auth.Caller;
import io.gatehouse.chat.ChatPipeline;
import io.gatehouse.chat.Conversation;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ModelCatalog;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Server-rendered pages. Each one reads through the same services as the JSON API behind it. */
@Controller
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
final class PagesController {

    private final ConversationStore conversations;
    private final ModelCatalog catalog;
    private final ChatPipeline pipeline;
    private final ApiTokenService tokens;

    PagesController(ConversationStore conversations, ModelCatalog catalog, ChatPipeline pipeline, ApiTokenService tokens) {
        this.conversations = conversations;
        this.catalog = catalog;
        this.pipeline = pipeline;
        this.tokens = tokens;
    }

    @Get("/")
    ModelAndView<Map<String, Object>> chat(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return chatPage(caller, null);
    }

    @Get("/c/{id}")
    ModelAndView<Map<String, Object>> conversation(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        Conversation c = conversations.find(caller.userId(), id).orElseThrow(() -> new GatehouseException.NotFound(
                "conversation-not-found", "This conversation does not exist or is not yours."));
        return chatPage(caller, c);
    }

    private ModelAndView<Map<String, Object>> chatPage(Caller caller, Conversation current) {
        Map<String, Object> model = base(caller, "chat");
        List<AvailableModel> models = pipeline.modelsFor(caller);
        model.put("conversations", conversations.recent(caller.userId(), 50));
        model.put("current", current);
        model.put("messages", current == null ? List.of() : conversations.messages(current));
        model.put("models", models.stream().map(AvailableModel::name).toList());
        model.put("selectedModel", current != null && catalog.find(current.model()).isPresent() ? current.model()
                : models.isEmpty() ? "" : models.getFirst().name());
        return new ModelAndView<>("chat", model);
    }

    @Get("/tokens")
    ModelAndView<Map<String, Object>> tokens(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        Map<String, Object> model = base(caller, "tokens");
        model.put("tokens", tokens.listActive(caller.userId()));
        return new ModelAndView<>("tokens", model);
    }

    @Get("/sessions")
    ModelAndView<Map<String, Object>> sessions(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("sessions", base(caller, "sessions"));
    }

    @Get("/admin/models")
    ModelAndView<Map<String, Object>> models(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("models", base(caller, "models"));
    }

    @Get("/admin/users")
    ModelAndView<Map<String, Object>> users(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("users", base(caller, "users"));
    }

    @Get("/admin/roles")
    ModelAndView<Map<String, Object>> roles(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("roles", base(caller, "roles"));
    }

    @Get("/admin/access")
    ModelAndView<Map<String, Object>> access(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("access", base(caller, "access"));
    }

    @Get("/admin/connectors")
    ModelAndView<Map<String, Object>> connectors(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return new ModelAndView<>("connectors", base(caller, "connectors"));
    }

    private static Map<String, Object> base(Caller caller, String section) {
        Map<String, Object> model = new HashMap<>();
        model.put("caller", caller);
        model.put("section", section);
        return model;
    }
}
