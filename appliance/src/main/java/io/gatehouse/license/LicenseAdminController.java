package io.gatehouse.license;

import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The License page's API (admins only, like every {@code /api/v1/admin} path): the status (re-reading the license
 * first), uploading a license file, and "check now". Open even when administration is read-only.
 */
@Controller("/api/v1/admin/license")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LicenseAdminController {

    /** A license file is a few hundred bytes; anything much larger is not one. */
    static final int MAX_FILE_CHARS = 64 * 1024;

    private final Licensing licensing;

    LicenseAdminController(Licensing licensing) {
        this.licensing = licensing;
    }

    record OnlineCheckView(boolean enabled, @Nullable Instant since, @Nullable Instant lastCheckAt, @Nullable Instant lastAnswerAt,
                           @Nullable String lastError, boolean revoked, @Nullable String revokedMessage) {
    }

    /**
     * Every field always present (null when it does not apply); dates ISO-8601. {@code signedBy}: "vendor" (a key
     * shipped with the product), "configured-key" (only a key from GATEHOUSE_LICENSE_PUBLIC_KEYS verifies it; then
     * {@code keyWarning} says so) or null without a verified license. Neither changes {@code status}.
     */
    record LicenseView(String status, @Nullable String message, boolean readOnly, String source, @Nullable String licenseId,
                       @Nullable String customer, @Nullable Integer seatsLicensed, long seatsInUse, @Nullable LocalDate issuedAt,
                       @Nullable LocalDate expiresAt, @Nullable LocalDate graceEndsAt, List<String> features, UUID applianceId,
                       @Nullable Instant uploadedAt, @Nullable String uploadedBy, OnlineCheckView onlineCheck,
                       @Nullable String signedBy, @Nullable String keyWarning) {
    }

    @Get
    LicenseView get() {
        licensing.reload();
        return view(licensing.evaluate()); // a change the hourly job has not seen yet is audited now

    }

    @Put
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    LicenseView upload(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @Nullable @Body String file) {
        if (file == null || file.isBlank()) {
            throw new GatehouseException.BadRequest("license-invalid", "Send the license file's content (the JSON in license.lic) as the body.");
        }
        if (file.length() > MAX_FILE_CHARS) {
            throw new GatehouseException.BadRequest("license-invalid", "This file is far too large to be a license. Upload the license.lic file you received.");
        }
        return view(licensing.upload(caller, file));
    }

    @Post("/check")
    LicenseView check() {
        return view(licensing.refresh());
    }

    private LicenseView view(LicenseStatus status) {
        License license = status.license();
        LicenseStateRepository.Row row = licensing.row();
        boolean checking = !licensing.current().check().equals(LicenseStatus.OnlineCheck.off());
        boolean revoked = license != null && row != null && license.licenseId().equals(row.revokedLicenseId());
        OnlineCheckView check = new OnlineCheckView(checking, row == null ? null : row.checkSince(), row == null ? null : row.lastCheckAt(),
                row == null ? null : row.lastAnswerAt(), row == null ? null : row.lastCheckError(), revoked, revoked ? row.revokedMessage() : null);
        boolean uploaded = status.source() == LicenseStatus.Source.UPLOAD && row != null;
        return new LicenseView(status.state().name(), status.message(), status.readOnly(),
                status.source() == null ? "none" : status.source().name().toLowerCase(),
                license == null ? null : license.licenseId(), license == null ? null : license.customer(),
                license == null ? null : license.seats(), licensing.seatsInUse(),
                license == null ? null : license.issuedAt(), license == null ? null : license.expiresAt(),
                license == null ? null : license.graceEndsAt(), license == null ? List.of() : List.copyOf(license.features()),
                licensing.applianceId(), uploaded ? row.uploadedAt() : null, uploaded ? row.uploadedByEmail() : null, check,
                status.signedBy() == null ? null : status.signedBy().apiName(), status.keyWarning());
    }
}
