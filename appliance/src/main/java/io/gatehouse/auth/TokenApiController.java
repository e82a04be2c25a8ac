package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** "My tokens": personal API tokens, session-authenticated. The secret appears once, in the create response. */
@Controller("/api/v1/me/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
final class TokenApiController {

    private final ApiTokenService tokens;

    TokenApiController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    record CreateToken(String name) {
    }

    record TokenView(UUID id, String name, String prefix, Instant createdAt, @Nullable Instant lastUsedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.tokenPrefix(), t.createdAt(), t.lastUsedAt());
        }
    }

    record CreatedTokenView(UUID id, String name, String prefix, Instant createdAt, String token) {
    }

    @Get
    List<TokenView> list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return tokens.listActive(caller.userId()).stream().map(TokenView::of).toList();
    }

    @Post
    HttpResponse<CreatedTokenView> create(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body CreateToken body) {
        ApiTokenService.CreatedToken created = tokens.create(caller, body == null ? null : body.name());
        ApiToken t = created.token();
        return HttpResponse.created(new CreatedTokenView(t.id(), t.name(), t.tokenPrefix(), t.createdAt(), created.secret()));
    }

    @Delete("/{id}")
    HttpResponse<Void> revoke(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        tokens.revoke(caller, id);
        return HttpResponse.noContent();
    }
}
