package io.gatehouse.model;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.UUID;

/** Admin REST API for model providers (the Models page is built on it). Admin-only by path. */
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
    HttpResponse<ProviderAdmin.ProviderView> create(@Body ProviderAdmin.ProviderForm form) {
        ProviderAdmin.ProviderView created = admin.create(form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/providers/" + created.id());
    }

    @Put("/providers/{id}")
    ProviderAdmin.ProviderView update(UUID id, @Body ProviderAdmin.ProviderForm form) {
        return admin.update(id, form);
    }

    @Delete("/providers/{id}")
    HttpResponse<Void> delete(UUID id) {
        admin.delete(id);
        return HttpResponse.noContent();
    }
}
