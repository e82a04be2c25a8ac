package io.gatehouse.budget;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The budgets API (admins only, like every {@code /api/v1/admin} path): everything at once, set a rule, set a rate
 * limit. Every change is audited as {@code budget.updated}; if the audit trail cannot take it, the change is refused.
 */
@Controller("/api/v1/admin/budgets")
@ExecuteOn(TaskExecutors.BLOCKING)
final class BudgetAdminController {

    private final BudgetAdmin admin;

    BudgetAdminController(BudgetAdmin admin) {
        this.admin = admin;
    }

    @Get
    BudgetAdmin.Overview overview() {
        return admin.overview();
    }

    @Put("/rules")
    BudgetAdmin.RuleChange setRule(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body BudgetAdmin.RuleForm form) {
        return admin.setRule(caller, form);
    }

    @Put("/rate-limits")
    BudgetAdmin.RateChange setRate(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body BudgetAdmin.RateForm form) {
        return admin.setRate(caller, form);
    }
}
