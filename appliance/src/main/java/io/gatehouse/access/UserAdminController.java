package io.gatehouse.access;

import io.gatehouse.auth.Caller;
import io.gatehouse.auth.User;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin's user directory: search, the approval queue, roles, disabling, ending sessions. */
@Controller("/api/v1/admin/users")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserAdminController {

    private final UserAdministration admin;
    private final RoleAssignments roles;

    UserAdminController(UserAdministration admin, RoleAssignments roles) {
        this.admin = admin;
        this.roles = roles;
    }

    /** {@code status} filters (pending for the approval queue); {@code q} matches email or name. */
    @Get
    List<UserDirectoryRepository.UserRow> search(@Nullable @QueryValue String q, @Nullable @QueryValue String status,
                                                 @Nullable @QueryValue Integer limit) {
        return admin.search(q, status, limit == null ? 200 : limit);
    }

    @Get("/{id}")
    UserView get(UUID id) {
        return view(admin.find(id));
    }

    record RoleChoice(@Nullable List<UUID> roleIds) {
        List<UUID> ids() {
            return roleIds == null ? List.of() : roleIds;
        }
    }

    @Post("/{id}/approve")
    UserView approve(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id, @Body RoleChoice choice) {
        return view(admin.approve(caller, id, choice.ids()));
    }

    @Post("/{id}/reject")
    UserView reject(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return view(admin.reject(caller, id));
    }

    @Post("/{id}/disable")
    UserView disable(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return view(admin.disable(caller, id));
    }

    @Post("/{id}/enable")
    UserView enable(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        return view(admin.enable(caller, id));
    }

    @Put("/{id}/roles")
    UserView setRoles(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id, @Body RoleChoice choice) {
        return view(admin.setRoles(caller, id, choice.ids()));
    }

    @Delete("/{id}/sessions")
    HttpResponse<Void> endSessions(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        admin.endSessions(caller, id);
        return HttpResponse.noContent();
    }

    record UserView(UUID id, String email, String displayName, String status, boolean admin, boolean mfaEnabled,
                    Instant createdAt, @Nullable Instant lastLoginAt, List<Role> roles) {
    }

    private UserView view(User user) {
        return new UserView(user.id(), user.email(), user.displayName(), user.status(), user.admin(), user.mfaEnabled(),
                user.createdAt(), user.lastLoginAt(), roles.rolesOf(user.id()));
    }
}
