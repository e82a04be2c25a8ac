package io.gatehouse.budget;

import io.gatehouse.auth.Caller;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The signed-in person's own budget: used, limit, what is left, the reset date. */
@Controller("/api/v1/me/budget")
@ExecuteOn(TaskExecutors.BLOCKING)
final class MyBudgetController {

    private final PersonalBudget budgets;

    MyBudgetController(PersonalBudget budgets) {
        this.budgets = budgets;
    }

    @Get
    PersonalBudget.View mine(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return budgets.of(caller.userId());
    }
}
