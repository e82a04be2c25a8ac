package io.gatehouse.license;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Where the appliance stands with its license, as a pure function of what is installed, the online check's record,
 * today (in the installation's zone) and now. Seats are not part of the state: they limit only new active people
 * ({@link #seatAvailable}), never what existing ones or admins may do.
 *
 * @param message why the state needs attention (shown in the banner and on the License page); null when VALID
 */
public record LicenseStatus(State state, @Nullable String message, @Nullable License license, @Nullable Source source) {

    public enum State {
        /** No license installed: everything works and there is no seat limit, so first installs and tests run as before. */
        EVALUATION,
        VALID,
        /** Valid, but ends within {@link #EXPIRING_WITHIN_DAYS} days. */
        EXPIRING,
        /** Expired, within its grace days: everything still works. */
        GRACE,
        /** Admin changes are refused (chat keeps working for people already approved). */
        READ_ONLY
    }

    public enum Source { FILE, UPLOAD }

    public static final int EXPIRING_WITHIN_DAYS = 30;

    /** What is installed: nothing, a license whose signature and fields checked out, or a file that did not. */
    public sealed interface Installed {
        record None() implements Installed {
        }

        record Verified(License license, Source source) implements Installed {
        }

        record Rejected(String reason, Source source) implements Installed {
        }
    }

    /**
     * The online check's record. {@code since}: when checking started (null: not started or not configured);
     * {@code lastAnswerAt}: the last time the server answered; {@code revokedLicenseId}: the license its last answer
     * revoked (null if that answer was "valid").
     */
    public record OnlineCheck(boolean enabled, int graceDays, @Nullable Instant since, @Nullable Instant lastAnswerAt,
                              @Nullable String revokedLicenseId, @Nullable String revokedMessage) {

        public static OnlineCheck off() {
            return new OnlineCheck(false, 0, null, null, null, null);
        }
    }

    public static LicenseStatus of(Installed installed, OnlineCheck check, LocalDate today, Instant now) {
        return switch (installed) {
            case Installed.None none -> new LicenseStatus(State.EVALUATION,
                    "No license installed — evaluation use. Upload your license on the License page.", null, null);
            case Installed.Rejected rejected -> new LicenseStatus(State.READ_ONLY,
                    "The installed license is not valid, so administration is read-only: " + rejected.reason(), null, rejected.source());
            case Installed.Verified verified -> verified(verified.license(), verified.source(), check, today, now);
        };
    }

    private static LicenseStatus verified(License license, Source source, OnlineCheck check, LocalDate today, Instant now) {
        if (check.enabled() && license.licenseId().equals(check.revokedLicenseId())) {
            String vendor = check.revokedMessage() == null || check.revokedMessage().isBlank() ? "" : " (" + check.revokedMessage().strip() + ")";
            return new LicenseStatus(State.READ_ONLY, "The vendor's license server revoked this license" + vendor
                    + ", so administration is read-only. Contact your vendor and upload a new license.", license, source);
        }
        if (check.enabled()) {
            Instant reference = check.lastAnswerAt() != null ? check.lastAnswerAt() : check.since();
            if (reference != null && now.isAfter(reference.plus(Duration.ofDays(check.graceDays())))) {
                return new LicenseStatus(State.READ_ONLY, "The license server has not been reached for more than " + check.graceDays()
                        + " days, so administration is read-only. Let the appliance reach GATEHOUSE_LICENSE_CHECK_URL (egress network) "
                        + "and press Check now on the License page.", license, source);
            }
        }
        if (today.isAfter(license.graceEndsAt())) {
            return new LicenseStatus(State.READ_ONLY, "The license expired on " + license.expiresAt() + " and its grace period ended on "
                    + license.graceEndsAt() + ", so administration is read-only. Upload a renewed license.", license, source);
        }
        if (today.isAfter(license.expiresAt())) {
            return new LicenseStatus(State.GRACE, "The license expired on " + license.expiresAt() + ". Administration becomes read-only on "
                    + license.graceEndsAt().plusDays(1) + " unless a renewed license is uploaded.", license, source);
        }
        long daysLeft = ChronoUnit.DAYS.between(today, license.expiresAt());
        if (daysLeft <= EXPIRING_WITHIN_DAYS) {
            return new LicenseStatus(State.EXPIRING, "The license expires on " + license.expiresAt() + " (" + (daysLeft == 0 ? "today"
                    : "in " + daysLeft + (daysLeft == 1 ? " day" : " days")) + "). Upload a renewed license before then.", license, source);
        }
        return new LicenseStatus(State.VALID, null, license, source);
    }

    public boolean readOnly() {
        return state == State.READ_ONLY;
    }

    /** Whether the banner shows: anything but a plainly valid license. */
    public boolean needsAttention() {
        return state != State.VALID;
    }

    /**
     * Whether one more person may become active. Without a license there is no limit (evaluation); with a license
     * that failed its checks there is none to give (deny by default); otherwise below the licensed seats.
     */
    public boolean seatAvailable(long seatsInUse) {
        if (state == State.EVALUATION) {
            return true;
        }
        return license != null && seatsInUse < license.seats();
    }

    /** The problem detail when {@link #seatAvailable} says no. */
    public String noSeatMessage() {
        if (license == null) {
            return "No seat can be given: the installed license is not valid. Upload a valid license on the License page.";
        }
        return "All " + license.seats() + " licensed seats are in use; disable someone or upload a license with more seats.";
    }
}
