package io.gatehouse.connector;

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
import java.util.Map;
import java.util.UUID;

/** Admin REST API for connectors (admin-only by path): kinds, list, add, change, restart, remove, log. */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ConnectorAdminController {

    private final ConnectorAdmin admin;
    private final ConnectorManifests manifests;

    ConnectorAdminController(ConnectorAdmin admin, ConnectorManifests manifests) {
        this.admin = admin;
        this.manifests = manifests;
    }

    @Get("/connector-kinds")
    Map<String, ConnectorManifest> kinds() {
        return manifests.all();
    }

    @Get("/connectors")
    List<ConnectorAdmin.ConnectorView> list() {
        return admin.list();
    }

    @Get("/connectors/{id}")
    ConnectorAdmin.ConnectorView get(UUID id) {
        return admin.get(id);
    }

    @Post("/connectors")
    HttpResponse<ConnectorAdmin.ConnectorView> create(@Body ConnectorAdmin.ConnectorForm form) {
        ConnectorAdmin.ConnectorView created = admin.create(form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/connectors/" + created.id());
    }

    @Post("/mcp-servers")
    HttpResponse<ConnectorAdmin.ConnectorView> registerMcpServer(@Body ConnectorAdmin.McpServerForm form) {
        ConnectorAdmin.ConnectorView created = admin.registerMcpServer(form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/connectors/" + created.id());
    }

    @Put("/connectors/{id}")
    ConnectorAdmin.ConnectorView update(UUID id, @Body ConnectorAdmin.ConnectorForm form) {
        return admin.update(id, form);
    }

    @Post("/connectors/{id}/tools/{tool}/approve")
    ConnectorAdmin.ConnectorView approveTool(UUID id, String tool) {
        return admin.approveTool(id, tool);
    }

    record Classification(@io.micronaut.core.annotation.Nullable String classification) {
    }

    @Put("/connectors/{id}/tools/{tool}/classification")
    ConnectorAdmin.ConnectorView classifyTool(UUID id, String tool, @io.micronaut.http.annotation.Body Classification body) {
        return admin.classifyTool(id, tool, body.classification());
    }

    @Post("/connectors/{id}/restart")
    ConnectorAdmin.ConnectorView restart(UUID id) {
        return admin.restart(id);
    }

    @Get("/connectors/{id}/log")
    List<String> log(UUID id) {
        return admin.log(id);
    }

    @Delete("/connectors/{id}")
    HttpResponse<Void> delete(UUID id) {
        admin.delete(id);
        return HttpResponse.noContent();
    }
}
