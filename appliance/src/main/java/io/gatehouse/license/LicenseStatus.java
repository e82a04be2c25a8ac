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
 * @param signedBy whose key verified the license (null without a verified license); it never changes the state, only
 *                 what the admin is shown ({@link #keyWarning()})
 */
public record LicenseStatus(State state, @Nullable String message, @Nullable License license, @Nullable Source source,
                            @Nullable SignedBy signedBy) {

    public enum State {
        /**
         * No license installed and none ever verified on this installation: everything works and there is no seat
         * limit, so first installs and tests run as before. (Once a license has verified, "no license" is READ_ONLY.)
         */
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

    /**
     * Whose key verified the license: one shipped in the license module's vendor-keys.txt, or only one added with
     * GATEHOUSE_LICENSE_PUBLIC_KEYS. Whoever can edit .env can add a key and sign their own license, so the second
     * is allowed (tests, vendor staging) but always shown, never silent.
     */
    public enum SignedBy {
        VENDOR("vendor"), CONFIGURED_KEY("configured-key");

        private final String apiName;

        SignedBy(String apiName) {
            this.apiName = apiName;
        }

        /** As GET /api/v1/admin/license reports it. */
        public String apiName() {
            return apiName;
        }
    }

    public static final String CONFIGURED_KEY_WARNING =
            "License signed with a key from GATEHOUSE_LICENSE_PUBLIC_KEYS, not a vendor key — for testing only";

    public static final int EXPIRING_WITHIN_DAYS = 30;

    /**
     * What is installed: nothing (and never was), nothing any more although a license verified here before, a license
     * whose signature and fields checked out, or a file that did not.
     */
    public sealed interface Installed {
        record None() implements Installed {
        }

        /**
         * No license now, but {@code licenseId} verified on this installation from {@code since} on (license_state):
         * deleting the file must not turn a licensed installation back into an unlimited evaluation.
         * {@code file}: where the portal looks for the license file (GATEHOUSE_LICENSE_FILE), for the message.
         */
        record Gone(String licenseId, @Nullable Instant since, String file) implements Installed {
        }

        record Verified(License license, Source source, SignedBy signedBy) implements Installed {
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
            case Installed.Gone gone -> new LicenseStatus(State.READ_ONLY, "The license file that was installed (id " + gone.licenseId()
                    + ") is gone: put it back or upload a license. The portal reads it from " + gone.file()
                    + " (GATEHOUSE_LICENSE_FILE); the License page takes an upload. This installation has run under a license"
                    + (gone.since() == null ? "" : " since " + gone.since().truncatedTo(ChronoUnit.SECONDS))
                    + ", so without one administration is read-only rather than evaluation.", null, null);
            case Installed.Rejected rejected -> new LicenseStatus(State.READ_ONLY,
                    "The installed license is not valid, so administration is read-only: " + rejected.reason(), null, rejected.source());
            case Installed.Verified verified -> verified(verified.license(), verified.source(), check, today, now)
                    .signedBy(verified.signedBy());
        };
    }

    /** A status without a verified license (or before {@link #signedBy(SignedBy)} says whose key verified it). */
    public LicenseStatus(State state, @Nullable String message, @Nullable License license, @Nullable Source source) {
        this(state, message, license, source, null);
    }

    private LicenseStatus signedBy(SignedBy by) {
        return new LicenseStatus(state, message, license, source, by);
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

    /** Whether the banner shows: anything but a plainly valid license signed with a vendor key. */
    public boolean needsAttention() {
        return state != State.VALID || keyWarning() != null;
    }

    /** {@link #CONFIGURED_KEY_WARNING} when only a key from GATEHOUSE_LICENSE_PUBLIC_KEYS verified the license, else null. */
    @Nullable
    public String keyWarning() {
        return signedBy == SignedBy.CONFIGURED_KEY ? CONFIGURED_KEY_WARNING : null;
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
            // READ_ONLY without a license: a file that did not verify, or a license that is gone; the message says which.
            return "No seat can be given. " + (message != null ? message : "There is no valid license: upload one on the License page.");
        }
        return "All " + license.seats() + " licensed seats are in use; disable someone or upload a license with more seats.";
    }
}
