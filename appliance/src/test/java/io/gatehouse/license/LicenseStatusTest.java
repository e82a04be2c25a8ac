package io.gatehouse.license;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.license.LicenseStatus.Installed;
import io.gatehouse.license.LicenseStatus.OnlineCheck;
import io.gatehouse.license.LicenseStatus.SignedBy;
import io.gatehouse.license.LicenseStatus.Source;
import io.gatehouse.license.LicenseStatus.State;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The license state as a pure function of what is installed, the online check and the date. */
class LicenseStatusTest {

    static final License LICENSE = new License("lic-1", "Acme", 3, LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"), 14, List.of());
    static final Installed VERIFIED = new Installed.Verified(LICENSE, Source.FILE, SignedBy.VENDOR);

    private static LicenseStatus on(String day, Installed installed, OnlineCheck check) {
        LocalDate today = LocalDate.parse(day);
        return LicenseStatus.of(installed, check, today, today.atTime(12, 0).toInstant(ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-01-01, VALID",
            "2026-11-30, VALID",
            "2026-12-01, EXPIRING",
            "2026-12-31, EXPIRING",
            "2027-01-01, GRACE",
            "2027-01-14, GRACE",
            "2027-01-15, READ_ONLY",
            "2030-06-01, READ_ONLY"})
    void theDateDecidesBetweenValidExpiringGraceAndReadOnly(String day, State expected) {
        assertThat(on(day, VERIFIED, OnlineCheck.off()).state()).isEqualTo(expected);
    }

    @Test
    void messagesSayWhatHappensAndWhen() {
        assertThat(on("2026-12-30", VERIFIED, OnlineCheck.off()).message()).contains("expires on 2026-12-31", "in 1 day");
        assertThat(on("2026-12-31", VERIFIED, OnlineCheck.off()).message()).contains("today");
        assertThat(on("2027-01-03", VERIFIED, OnlineCheck.off()).message()).contains("expired on 2026-12-31", "read-only on 2027-01-15");
        assertThat(on("2027-01-15", VERIFIED, OnlineCheck.off()).message()).contains("grace period ended on 2027-01-14", "Upload a renewed license");
        assertThat(on("2026-06-01", VERIFIED, OnlineCheck.off()).message()).isNull();
    }

    @Test
    void noLicenseIsEvaluationWithoutASeatLimit() {
        LicenseStatus status = on("2026-06-01", new Installed.None(), OnlineCheck.off());

        assertThat(status.state()).isEqualTo(State.EVALUATION);
        assertThat(status.message()).contains("No license installed — evaluation use");
        assertThat(status.needsAttention()).isTrue();
        assertThat(status.readOnly()).isFalse();
        assertThat(status.seatAvailable(10_000)).isTrue();
    }

    @Test
    void noLicenseAfterOneHadVerifiedHereIsReadOnlyNotEvaluation() {
        LicenseStatus status = on("2026-06-01", new Installed.Gone("lic-1", Instant.parse("2026-02-03T10:15:30.123Z"), "/data/license/license.lic"),
                OnlineCheck.off());

        assertThat(status.state()).isEqualTo(State.READ_ONLY);
        assertThat(status.readOnly()).isTrue();
        assertThat(status.message()).startsWith("The license file that was installed (id lic-1) is gone: put it back or upload a license.")
                .contains("/data/license/license.lic", "GATEHOUSE_LICENSE_FILE", "since 2026-02-03T10:15:30Z");
        assertThat(status.seatAvailable(0)).isFalse();
        assertThat(status.noSeatMessage()).startsWith("No seat can be given.").contains("(id lic-1) is gone");
        assertThat(status.needsAttention()).isTrue();
    }

    @Test
    void aLicenseSignedOnlyByAConfiguredKeyStaysValidButIsFlagged() {
        LicenseStatus configured = on("2026-06-01", new Installed.Verified(LICENSE, Source.FILE, SignedBy.CONFIGURED_KEY), OnlineCheck.off());
        LicenseStatus vendor = on("2026-06-01", VERIFIED, OnlineCheck.off());

        assertThat(configured.state()).isEqualTo(State.VALID);
        assertThat(configured.message()).isNull();
        assertThat(configured.signedBy()).isEqualTo(SignedBy.CONFIGURED_KEY);
        assertThat(configured.keyWarning())
                .isEqualTo("License signed with a key from GATEHOUSE_LICENSE_PUBLIC_KEYS, not a vendor key — for testing only");
        assertThat(configured.needsAttention()).isTrue();
        assertThat(configured.seatAvailable(2)).isTrue();
        assertThat(vendor.signedBy()).isEqualTo(SignedBy.VENDOR);
        assertThat(vendor.keyWarning()).isNull();
        assertThat(vendor.needsAttention()).isFalse();
        // The flag rides along with every state, and never changes it.
        LicenseStatus expired = on("2027-01-15", new Installed.Verified(LICENSE, Source.FILE, SignedBy.CONFIGURED_KEY), OnlineCheck.off());
        assertThat(expired.state()).isEqualTo(State.READ_ONLY);
        assertThat(expired.keyWarning()).isNotNull();
    }

    @Test
    void aRejectedFileIsReadOnlyWithTheReasonAndGivesNoSeats() {
        LicenseStatus status = on("2026-06-01", new Installed.Rejected("the signature does not verify", Source.UPLOAD), OnlineCheck.off());

        assertThat(status.state()).isEqualTo(State.READ_ONLY);
        assertThat(status.message()).contains("not valid", "the signature does not verify");
        assertThat(status.seatAvailable(0)).isFalse();
        assertThat(status.noSeatMessage()).contains("not valid");
    }

    @Test
    void seatsAreAvailableBelowTheLicensedNumberEvenInGrace() {
        LicenseStatus valid = on("2026-06-01", VERIFIED, OnlineCheck.off());
        assertThat(valid.seatAvailable(2)).isTrue();
        assertThat(valid.seatAvailable(3)).isFalse();
        assertThat(valid.noSeatMessage()).isEqualTo("All 3 licensed seats are in use; disable someone or upload a license with more seats.");
        assertThat(on("2027-01-02", VERIFIED, OnlineCheck.off()).seatAvailable(2)).isTrue();
    }

    @Test
    void aRevocationOfThisLicenseIsReadOnlyAndOfAnotherIsIgnored() {
        Instant since = Instant.parse("2026-05-01T00:00:00Z");
        OnlineCheck revoked = new OnlineCheck(true, 14, since, Instant.parse("2026-05-31T00:00:00Z"), "lic-1", "unpaid invoice");
        OnlineCheck revokedOther = new OnlineCheck(true, 14, since, Instant.parse("2026-05-31T00:00:00Z"), "lic-0", "old");

        assertThat(on("2026-06-01", VERIFIED, revoked).state()).isEqualTo(State.READ_ONLY);
        assertThat(on("2026-06-01", VERIFIED, revoked).message()).contains("revoked", "unpaid invoice");
        assertThat(on("2026-06-01", VERIFIED, revokedOther).state()).isEqualTo(State.VALID);
        assertThat(on("2026-06-01", VERIFIED, new OnlineCheck(false, 14, since, null, "lic-1", "x")).state()).isEqualTo(State.VALID);
    }

    @ParameterizedTest(name = "last answer {0}, started {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "2026-05-25T00:00:00Z, 2026-01-01T00:00:00Z, VALID",
            "2026-05-18T12:00:00Z, 2026-01-01T00:00:00Z, VALID",
            "2026-05-18T11:59:59Z, 2026-01-01T00:00:00Z, READ_ONLY",
            "null, 2026-05-20T00:00:00Z, VALID",
            "null, 2026-05-01T00:00:00Z, READ_ONLY",
            "null, null, VALID"})
    void withoutAnAnswerForLongerThanTheGraceDaysAdminTurnsReadOnly(String lastAnswer, String since, State expected) {
        OnlineCheck check = new OnlineCheck(true, 14, since == null ? null : Instant.parse(since),
                lastAnswer == null ? null : Instant.parse(lastAnswer), null, null);

        LicenseStatus status = on("2026-06-01", VERIFIED, check);

        assertThat(status.state()).isEqualTo(expected);
        if (expected == State.READ_ONLY) {
            assertThat(status.message()).contains("has not been reached for more than 14 days");
        }
    }
}
