package io.gatehouse.governance.killswitch;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The kill-switch panel's API (admins only, like every {@code /api/v1/admin} path): the state, engage,
 * release, and the history newest first.
 */
@Controller("/api/v1/admin/kill-switch")
@ExecuteOn(TaskExecutors.BLOCKING)
final class KillSwitchAdminController {

    private final KillSwitch killSwitch;

    KillSwitchAdminController(KillSwitch killSwitch) {
        this.killSwitch = killSwitch;
    }

    @Get
    KillSwitch.State state() {
        return killSwitch.state();
    }

    @Post("/engage")
    KillSwitch.SwitchView engage(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body KillSwitch.SwitchForm form) {
        return killSwitch.engage(caller, orEmpty(form));
    }

    @Post("/release")
    KillSwitch.SwitchView release(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body KillSwitch.SwitchForm form) {
        return killSwitch.release(caller, orEmpty(form));
    }

    @Get("/history")
    KillSwitch.HistoryPage history(@Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        return killSwitch.history(page == null ? 0 : page, size == null ? 20 : size);
    }

    private static KillSwitch.SwitchForm orEmpty(@Nullable KillSwitch.SwitchForm form) {
        if (form == null) {
            throw new GatehouseException.BadRequest("invalid-kill-switch", "Send the switch as JSON: scope, target, reason.", "scope");
        }
        return form;
    }
}
