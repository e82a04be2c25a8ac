package io.gatehouse.approval;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.UUID;

/**
 * Deciding a Supervised call, and a person's own requests. Session only, like all of {@code /api/v1}: an API token
 * (what a script or an agent holds) can never approve a call.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class ApprovalApiController {

    private final Approvals approvals;

    ApprovalApiController(Approvals approvals) {
        this.approvals = approvals;
    }

    /** Approves and runs the call at once; the answer carries its outcome (EXECUTED or FAILED). */
    @Post("/api/v1/approvals/{id}/approve")
    Approvals.ApprovalView approve(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                   @Nullable @Body Approvals.DecisionForm form) {
        return approvals.approve(caller, id, orEmpty(form));
    }

    @Post("/api/v1/approvals/{id}/reject")
    Approvals.ApprovalView reject(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, UUID id,
                                  @Nullable @Body Approvals.DecisionForm form) {
        return approvals.reject(caller, id, orEmpty(form));
    }

    /** The caller's proposals and approval requests: of one conversation, or all recent ones. */
    @Get("/api/v1/me/approvals{?conversation}")
    List<Approvals.ApprovalView> mine(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @QueryValue String conversation) {
        return approvals.mine(caller, conversation);
    }

    /** Other people's calls waiting that the caller may approve (four eyes; admins also see admin approvals). */
    @Get("/api/v1/me/approvals/to-decide")
    List<Approvals.ApprovalView> toDecide(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return approvals.waitingFor(caller);
    }

    private static Approvals.DecisionForm orEmpty(@Nullable Approvals.DecisionForm form) {
        return form == null ? new Approvals.DecisionForm(null, null) : form;
    }
}
