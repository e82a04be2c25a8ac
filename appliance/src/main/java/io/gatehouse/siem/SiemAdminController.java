package io.gatehouse.siem;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The SIEM export API (admins only, like every {@code /api/v1/admin} path): settings with delivery status,
 * change the settings, send a test event.
 */
@Controller("/api/v1/admin/siem")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SiemAdminController {

    private final SiemAdmin siem;

    SiemAdminController(SiemAdmin siem) {
        this.siem = siem;
    }

    @Get
    SiemAdmin.SiemView view() {
        return siem.view();
    }

    @Put
    SiemAdmin.SiemView update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body SiemAdmin.SiemForm form) {
        return siem.update(caller, form);
    }

    @Post("/test")
    SiemAdmin.TestResult test(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return siem.test(caller);
    }
}
