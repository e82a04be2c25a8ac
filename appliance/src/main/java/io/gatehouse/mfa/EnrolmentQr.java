package io.gatehouse.mfa;

import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.util.Utils;

/** What an authenticator app scans: the otpauth:// URI, and the same as a PNG QR code in a data: URI. */
final class EnrolmentQr {

    static final String ISSUER = "Gatehouse";

    private EnrolmentQr() {
    }

    /** A secret being set up, as shown to its owner once per request for it. */
    record Enrolment(String secret, String otpauthUri, String qrCode) {
    }

    static Enrolment of(String email, String secret) {
        QrData data = new QrData.Builder()
                .label(email)
                .secret(secret)
                .issuer(ISSUER)
                .algorithm(HashingAlgorithm.SHA1)
                .digits(TotpCodes.DIGITS)
                .period(TotpCodes.PERIOD_SECONDS)
                .build();
        ZxingPngQrGenerator png = new ZxingPngQrGenerator();
        try {
            // A data: URI keeps the secret out of any URL the browser might log or cache; the CSP allows data: images.
            return new Enrolment(secret, data.getUri(), Utils.getDataUriForImage(png.generate(data), png.getImageMimeType()));
        } catch (QrGenerationException e) {
            throw new IllegalStateException("The QR code could not be drawn", e);
        }
    }
}
