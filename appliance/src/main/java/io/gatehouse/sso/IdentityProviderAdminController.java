package io.gatehouse.sso;

import io.gatehouse.auth.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.UUID;

/** Admin REST API for identity providers (the Single sign-on page is built on it). Admin-only by path. */
@Controller("/api/v1/admin/identity-providers")
@ExecuteOn(TaskExecutors.BLOCKING)
final class IdentityProviderAdminController {

    private final IdentityProviderAdmin admin;
    private final PublicBase publicBase;

    IdentityProviderAdminController(IdentityProviderAdmin admin, PublicBase publicBase) {
        this.admin = admin;
        this.publicBase = publicBase;
    }

    @Get
    List<IdentityProviderAdmin.ProviderView> list(HttpRequest<?> request) {
        return admin.list(publicBase.of(request));
    }

    @Get("/{id}")
    IdentityProviderAdmin.ProviderView get(HttpRequest<?> request, UUID id) {
        return admin.get(id, publicBase.of(request));
    }

    @Post
    HttpResponse<IdentityProviderAdmin.ProviderView> create(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                            @Body IdentityProviderAdmin.ProviderForm form) {
        IdentityProviderAdmin.ProviderView created = admin.create(caller, form, publicBase.of(request));
        return HttpResponse.created(created).header("Location", "/api/v1/admin/identity-providers/" + created.id());
    }

    @Put("/{id}")
    IdentityProviderAdmin.ProviderView update(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                              @Body IdentityProviderAdmin.ProviderForm form) {
        return admin.update(caller, id, form, publicBase.of(request));
    }

    @Post("/{id}/enable")
    IdentityProviderAdmin.ProviderView enable(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return admin.setEnabled(caller, id, true, publicBase.of(request));
    }

    @Post("/{id}/disable")
    IdentityProviderAdmin.ProviderView disable(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return admin.setEnabled(caller, id, false, publicBase.of(request));
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        admin.delete(caller, id);
        return HttpResponse.noContent();
    }
}
