package io.gatehouse.license;

import io.gatehouse.error.GatehouseException;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.List;
import java.util.Set;

/**
 * A READ_ONLY license refuses every admin change (403 {@code license-read-only}); admins still see everything. Left
 * open on purpose: the license itself (uploading a good one is the way out), the kill-switch (safety must never
 * depend on paperwork), and everything outside the admin paths: signing in and out, MFA, chat for people already
 * approved (the business keeps running). Runs after authentication, so anonymous callers still get 401 first.
 */
@ServerFilter({"/api/v1/admin/**", "/admin/**"})
final class LicenseReadOnlyFilter implements Ordered {

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    static final List<String> ALWAYS_OPEN = List.of("/api/v1/admin/license", "/api/v1/admin/kill-switch");

    private final Licensing licensing;

    LicenseReadOnlyFilter(Licensing licensing) {
        this.licensing = licensing;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    void refuseChangesWhenReadOnly(HttpRequest<?> request) {
        if (READS.contains(request.getMethod()) || alwaysOpen(request.getPath())) {
            return;
        }
        LicenseStatus status = licensing.status(); // in memory: no database round trip on the event loop
        if (status.readOnly()) {
            throw new GatehouseException.Forbidden("license-read-only", status.message()
                    + " Until then admins can look but not change anything (the kill-switch and the License page still work).");
        }
    }

    static boolean alwaysOpen(String path) {
        return ALWAYS_OPEN.stream().anyMatch(open -> path.equals(open) || path.startsWith(open + "/"));
    }
}
