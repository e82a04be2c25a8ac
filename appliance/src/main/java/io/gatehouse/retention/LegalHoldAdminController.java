package io.gatehouse.retention;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.UUID;

/** Legal holds (admins only): the active ones and the recently released, place one, release one. */
@Controller("/api/v1/admin/legal-holds")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LegalHoldAdminController {

    private final LegalHolds holds;

    LegalHoldAdminController(LegalHolds holds) {
        this.holds = holds;
    }

    @Get
    LegalHolds.Holds list() {
        return holds.list();
    }

    @Post
    HttpResponse<LegalHolds.HoldView> place(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @Nullable @Body LegalHolds.HoldForm form) {
        return HttpResponse.<LegalHolds.HoldView>status(HttpStatus.CREATED).body(holds.place(caller, form));
    }

    @Post("/{id}/release")
    LegalHolds.HoldView release(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                @Nullable @Body LegalHolds.ReleaseForm form) {
        return holds.release(caller, id, form);
    }
}
