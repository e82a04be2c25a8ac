package io.gatehouse.retention;

import io.gatehouse.auth.Caller;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.UUID;

/**
 * A person's chat data as a whole. {@code /api/v1/me/export} is everyone's own export; the {@code /api/v1/admin}
 * paths are for admins only (the authentication filter refuses anyone else before this runs).
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ChatDataController {

    private final ChatData chatData;

    ChatDataController(ChatData chatData) {
        this.chatData = chatData;
    }

    /** All of the caller's conversations as one JSON file, streamed. */
    @Get("/me/export")
    StreamedFile exportMine(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return file(chatData.exportOwn(caller));
    }

    @Get("/admin/users/{id}/chat-export")
    StreamedFile exportFor(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return file(chatData.exportFor(caller, id));
    }

    @Delete("/admin/users/{id}/chat-data")
    ChatData.Deleted delete(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return chatData.delete(caller, id);
    }

    private static StreamedFile file(ChatData.Export export) {
        return new StreamedFile(export.body(), MediaType.APPLICATION_JSON_TYPE).attach(export.fileName());
    }
}
