package io.gatehouse.governance.guardrail;

import io.gatehouse.auth.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Arrays;
import java.util.List;

/**
 * Admin REST API for guardrail settings (the Guardrails page is built on it). Admin-only by path. A scope is
 * {@code everyone} or a role id. {@code PUT} changes the fields it sends; {@code DELETE} goes back to the defaults.
 */
@Controller("/api/v1/admin/guardrails")
@ExecuteOn(TaskExecutors.BLOCKING)
final class GuardrailAdminController {

    private final GuardrailPolicies policies;

    GuardrailAdminController(GuardrailPolicies policies) {
        this.policies = policies;
    }

    record CheckInfo(String key, String description) {
    }

    record Overview(List<CheckInfo> checks, List<String> actions, List<GuardrailPolicies.ScopeView> scopes) {
    }

    @Get
    Overview list() {
        return new Overview(Arrays.stream(Check.values()).map(c -> new CheckInfo(c.key(), c.description())).toList(),
                Arrays.stream(Check.Action.values()).map(Enum::name).toList(), policies.list());
    }

    @Get("/{scope}")
    GuardrailPolicies.ScopeView get(String scope) {
        return policies.get(scope);
    }

    @Put("/{scope}")
    GuardrailPolicies.ScopeView update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, String scope,
                                       @Body GuardrailPolicies.SettingsForm form) {
        return policies.update(scope, form, caller);
    }

    @Delete("/{scope}")
    HttpResponse<Void> reset(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, String scope) {
        policies.reset(scope, caller);
        return HttpResponse.noContent();
    }
}
