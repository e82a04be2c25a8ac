package io.gatehouse.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The code maths against RFC 6238's own test vector, and the window and replay rule at its edges. */
class TotpCodesTest {

    /** RFC 6238 appendix B: the ASCII key "12345678901234567890", SHA-1, T = 59 s gives 94287082 (6 digits: 287082). */
    private static final String RFC_SECRET = new org.apache.commons.codec.binary.Base32().encodeToString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void theRfcKeyEncodesAsAuthenticatorAppsExpect() {
        assertThat(RFC_SECRET).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    @Test
    void theRfcTestVectorIsAcceptedForItsStep() {
        TotpCodes codes = new TotpCodes(new MutableClock(Instant.ofEpochSecond(59)));

        assertThat(codes.freshStep(RFC_SECRET, "287082", null)).hasValue(1);
        assertThat(codes.freshStep(RFC_SECRET, "287 082", null)).as("spaces as apps show them").hasValue(1);
        assertThat(codes.freshStep(RFC_SECRET, "287083", null)).isEmpty();
        assertThat(codes.freshStep(RFC_SECRET, "28708", null)).isEmpty();
    }

    @Test
    void oneStepEitherSideIsAcceptedButNotTwo() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(59 + 30));
        TotpCodes codes = new TotpCodes(clock);

        assertThat(codes.freshStep(RFC_SECRET, "287082", null)).as("previous step").hasValue(1);
        clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(codes.freshStep(RFC_SECRET, "287082", null)).as("two steps back").isEmpty();
    }

    @Test
    void aStepAtOrBeforeTheLastUsedOneIsNotFresh() {
        TotpCodes codes = new TotpCodes(new MutableClock(Instant.ofEpochSecond(59)));

        assertThat(codes.freshStep(RFC_SECRET, "287082", 1L)).isEmpty();
        assertThat(codes.freshStep(RFC_SECRET, "287082", 0L)).hasValue(1);
    }

    @Test
    void recoveryCodesReadTheSameWhateverTheCaseDashesOrLookAlikeLetters() {
        assertThat(RecoveryCodes.normalize(" AB0C-1DEF-gh8j-KMNP ")).isEqualTo(RecoveryCodes.normalize("abOc-IdeF-GHBJ-kmnp"))
                .isEqualTo("ABOCIDEFGHBJKMNP");
    }
}
