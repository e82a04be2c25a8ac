package io.gatehouse.model;

import io.gatehouse.auth.Caller;
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

/** Admin REST API for model providers (the Models page is built on it). Admin-only by path; every change is audited. */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ProviderAdminController {

    private final ProviderAdmin admin;
    private final ModelCatalog catalog;

    ProviderAdminController(ProviderAdmin admin, ModelCatalog catalog) {
        this.admin = admin;
        this.catalog = catalog;
    }

    record Kind(String kind, String displayName, String exampleBaseUrl) {
    }

    @Get("/provider-kinds")
    List<Kind> kinds() {
        return catalog.factories().values().stream()
                .map(f -> new Kind(f.kind(), f.displayName(), f.exampleBaseUrl()))
                .sorted(java.util.Comparator.comparing(Kind::kind)).toList();
    }

    @Get("/providers")
    List<ProviderAdmin.ProviderView> list() {
        return admin.list();
    }

    @Get("/providers/{id}")
    ProviderAdmin.ProviderView get(UUID id) {
        return admin.get(id);
    }

    @Post("/providers")
    HttpResponse<ProviderAdmin.ProviderView> create(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                    @Body ProviderAdmin.ProviderForm form) {
        ProviderAdmin.ProviderView created = admin.create(caller, form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/providers/" + created.id());
    }

    @Put("/providers/{id}")
    ProviderAdmin.ProviderView update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                      @Body ProviderAdmin.ProviderForm form) {
        return admin.update(caller, id, form);
    }

    @Delete("/providers/{id}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        admin.delete(caller, id);
        return HttpResponse.noContent();
    }
}
