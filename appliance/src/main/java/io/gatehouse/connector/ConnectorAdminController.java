package io.gatehouse.connector;

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
import java.util.Map;
import java.util.UUID;

/** Admin REST API for connectors (admin-only by path): kinds, list, add, change, restart, remove, log. Changes are audited. */
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
    HttpResponse<ConnectorAdmin.ConnectorView> create(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                      @Body ConnectorAdmin.ConnectorForm form) {
        ConnectorAdmin.ConnectorView created = admin.create(caller, form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/connectors/" + created.id());
    }

    @Post("/mcp-servers")
    HttpResponse<ConnectorAdmin.ConnectorView> registerMcpServer(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                                 @Body ConnectorAdmin.McpServerForm form) {
        ConnectorAdmin.ConnectorView created = admin.registerMcpServer(caller, form);
        return HttpResponse.created(created).header("Location", "/api/v1/admin/connectors/" + created.id());
    }

    @Put("/connectors/{id}")
    ConnectorAdmin.ConnectorView update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                        @Body ConnectorAdmin.ConnectorForm form) {
        return admin.update(caller, id, form);
    }

    @Post("/connectors/{id}/tools/{tool}/approve")
    ConnectorAdmin.ConnectorView approveTool(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id, String tool) {
        return admin.approveTool(caller, id, tool);
    }

    record Classification(@io.micronaut.core.annotation.Nullable String classification) {
    }

    @Put("/connectors/{id}/tools/{tool}/classification")
    ConnectorAdmin.ConnectorView classifyTool(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id, String tool,
                                              @Body Classification body) {
        return admin.classifyTool(caller, id, tool, body.classification());
    }

    @Post("/connectors/{id}/restart")
    ConnectorAdmin.ConnectorView restart(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return admin.restart(caller, id);
    }

    @Get("/connectors/{id}/log")
    List<String> log(UUID id) {
        return admin.log(id);
    }

    @Delete("/connectors/{id}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        admin.delete(caller, id);
        return HttpResponse.noContent();
    }
}
