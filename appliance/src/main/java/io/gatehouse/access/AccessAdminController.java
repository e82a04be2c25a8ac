package io.gatehouse.access;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Who may get in: sign-up settings, allowed domains, invites, and the role list. */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
final class AccessAdminController {

    private final AccessPolicy policy;
    private final Invites invites;
    private final Roles roles;
    private final RoleGrants roleGrants;
    private final String publicUrl;

    AccessAdminController(AccessPolicy policy, Invites invites, Roles roles, RoleGrants roleGrants,
                          @Nullable @Value("${gatehouse.public-url:}") String publicUrl) {
        this.policy = policy;
        this.invites = invites;
        this.roles = roles;
        this.roleGrants = roleGrants;
        this.publicUrl = publicUrl;
    }

    @Get("/access")
    AccessPolicy.Settings settings() {
        return policy.settings();
    }

    record SettingsForm(@Nullable Boolean localSignup, @Nullable Boolean inviteOnly) {
    }

    @Put("/access")
    AccessPolicy.Settings update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body SettingsForm form) {
        if (form.localSignup() == null || form.inviteOnly() == null) {
            throw new GatehouseException.BadRequest("invalid-settings", "Send both localSignup and inviteOnly (true or false).");
        }
        policy.update(caller, form.localSignup(), form.inviteOnly());
        return policy.settings();
    }

    record DomainForm(@Nullable String domain) {
    }

    @Post("/access/domains")
    HttpResponse<AccessPolicy.Settings> addDomain(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body DomainForm form) {
        policy.addDomain(caller, form.domain());
        return HttpResponse.created(policy.settings());
    }

    @Delete("/access/domains/{domain}")
    HttpResponse<Void> removeDomain(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, String domain) {
        policy.removeDomain(caller, domain);
        return HttpResponse.noContent();
    }

    record InviteForm(@Nullable String email, @Nullable List<UUID> roleIds, @Nullable Integer validDays) {
    }

    record InviteView(UUID id, String email, List<UUID> roleIds, Instant createdAt, Instant expiresAt, @Nullable Instant usedAt,
                      @Nullable String link) {
        static InviteView of(Invite invite, @Nullable String link) {
            return new InviteView(invite.id(), invite.email(), invite.roles(), invite.createdAt(), invite.expiresAt(),
                    invite.usedAt(), link);
        }
    }

    @Get("/invites")
    List<InviteView> invites() {
        return invites.recent().stream().map(i -> InviteView.of(i, null)).toList();
    }

    /** The link is in this response only; it is not stored and cannot be shown again. */
    @Post("/invites")
    HttpResponse<InviteView> invite(HttpRequest<?> request, @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                    @Body InviteForm form) {
        Invites.CreatedInvite created = invites.create(caller, form.email(),
                form.roleIds() == null ? List.of() : form.roleIds(),
                form.validDays() == null ? null : Duration.ofDays(form.validDays()));
        return HttpResponse.created(InviteView.of(created.invite(), baseUrl(request) + "/invite?token=" + created.token()));
    }

    @Delete("/invites/{id}")
    HttpResponse<Void> withdraw(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        invites.withdraw(caller, id);
        return HttpResponse.noContent();
    }

    @Get("/roles")
    List<Role> roles() {
        return roles.list();
    }

    record RoleForm(@Nullable String name, @Nullable String description) {
    }

    @Post("/roles")
    HttpResponse<Role> createRole(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Body RoleForm form) {
        return HttpResponse.created(roles.create(caller, form.name(), form.description()));
    }

    @Get("/roles/{id}/grants")
    RoleGrants.RoleGrantsView grants(UUID id) {
        return roleGrants.view(id);
    }

    @io.micronaut.http.annotation.Put("/roles/{id}/grants")
    RoleGrants.RoleGrantsView setGrants(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                        @Body RoleGrants.RoleGrantsForm form) {
        return roleGrants.replace(caller, id, form);
    }

    @Delete("/roles/{id}")
    HttpResponse<Void> deleteRole(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        roles.delete(caller, id);
        return HttpResponse.noContent();
    }

    private String baseUrl(HttpRequest<?> request) {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        boolean tls = request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        return (tls ? "https://" : "http://") + request.getHeaders().get("Host");
    }
}
