package io.gatehouse.sso;

import io.gatehouse.access.GroupRoleMappings;
import io.gatehouse.auth.Caller;
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
import java.util.List;
import java.util.UUID;

/** Admin REST API for "IdP group → role" mappings, applied at each single sign-on. Admin-only by path. */
@Controller("/api/v1/admin/group-mappings")
@ExecuteOn(TaskExecutors.BLOCKING)
final class GroupMappingAdminController {

    private final GroupRoleMappings mappings;

    GroupMappingAdminController(GroupRoleMappings mappings) {
        this.mappings = mappings;
    }

    record MappingForm(@Nullable String groupName, @Nullable UUID roleId) {
    }

    @Get
    List<GroupRoleMappings.MappingView> list() {
        return mappings.list();
    }

    @Post
    HttpResponse<GroupRoleMappings.MappingView> add(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body MappingForm form) {
        GroupRoleMappings.MappingView added = mappings.add(caller, form.groupName(), form.roleId());
        return HttpResponse.created(added).header("Location", "/api/v1/admin/group-mappings/" + added.id());
    }

    @Delete("/{id}")
    HttpResponse<Void> remove(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        mappings.remove(caller, id);
        return HttpResponse.noContent();
    }
}
