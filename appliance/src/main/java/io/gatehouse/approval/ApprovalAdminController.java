package io.gatehouse.approval;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.UUID;

/** The approval queue and the review list of Audited actions (admins only, like every {@code /api/v1/admin} path). */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ApprovalAdminController {

    private final Approvals approvals;

    ApprovalAdminController(Approvals approvals) {
        this.approvals = approvals;
    }

    record ReviewForm(@Nullable String note) {
    }

    /** Calls waiting for someone other than the requester (four eyes, admin approval), and recent decisions. */
    @Get("/approvals")
    Approvals.Queue queue(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return approvals.queue(caller);
    }

    /** Audited actions that ran: not yet reviewed first, then those reviewed in the last week. */
    @Get("/action-reviews")
    List<Approvals.ReviewView> reviews() {
        return approvals.reviewList();
    }

    @Post("/action-reviews/{id}/reviewed")
    HttpResponse<Void> reviewed(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id, @Nullable @Body ReviewForm form) {
        approvals.markReviewed(caller, id, form == null ? null : form.note());
        return HttpResponse.noContent();
    }
}
