package io.gatehouse.mfa;

import io.gatehouse.auth.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.UUID;

/** An admin clears someone's two-factor authentication (lost phone and recovery codes); admins only, by the path. */
@Controller("/api/v1/admin/users/{id}/mfa")
@ExecuteOn(TaskExecutors.BLOCKING)
final class MfaAdminController {

    private final MfaAccount account;

    MfaAdminController(MfaAccount account) {
        this.account = account;
    }

    @Delete
    HttpResponse<Void> reset(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id) {
        account.reset(caller, id);
        return HttpResponse.noContent();
    }
}
