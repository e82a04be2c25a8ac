package io.gatehouse.auth;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** "My sessions": where the caller is signed in (device, address, last seen), and ending any of them. */
@Controller("/api/v1/me/sessions")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SessionApiController {

    private final SessionService sessions;
    private final ChangeAudit changes;

    SessionApiController(SessionService sessions, ChangeAudit changes) {
        this.sessions = sessions;
        this.changes = changes;
    }

    record SessionView(UUID id, @Nullable String userAgent, @Nullable String ip, Instant createdAt, Instant lastSeenAt,
                       Instant expiresAt, boolean current) {
    }

    @Get
    List<SessionView> list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return sessions.listOf(caller.userId()).stream()
                .map(s -> new SessionView(s.id(), s.userAgent(), s.ip(), s.createdAt(), s.lastSeenAt(), s.expiresAt(),
                        caller.channel() == Caller.Channel.SESSION && s.id().equals(caller.credentialId())))
                .toList();
    }

    @Delete("/{id}")
    HttpResponse<Void> end(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        if (!sessions.endOwn(caller.userId(), id)) {
            throw new GatehouseException.NotFound("session-not-found", "No session of yours with this id.");
        }
        changes.afterAccessRemoved(caller.audit("auth.session_ended").target("session", id).detail("by", "owner"));
        return HttpResponse.noContent();
    }
}
