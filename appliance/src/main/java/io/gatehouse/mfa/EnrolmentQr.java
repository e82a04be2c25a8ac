package io.gatehouse.mfa;

import dev.samstevens.totp.code.HashingAlgorithm;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.samstevens.totp.qr.QrData;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** What an authenticator app scans: the otpauth:// URI, and the same as an SVG QR code in a data: URI. */
final class EnrolmentQr {

    static final String ISSUER = "Gatehouse";
    /** Modules of white border the QR specification asks for around the code. */
    static final int QUIET_ZONE = 4;

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
        // A data: URI keeps the secret out of any URL the browser might log or cache; the CSP allows data: images.
        return new Enrolment(secret, data.getUri(), "data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(svg(data.getUri()).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The QR code as SVG, drawn from zxing's module matrix: no image library at run time (a PNG would need
     * java.awt, which the server's jlinked runtime leaves out), and it stays sharp at any size.
     */
    static String svg(String content) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
        } catch (WriterException e) {
            throw new IllegalStateException("The QR code could not be drawn", e);
        }
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + matrix.getWidth() + " " + matrix.getHeight()
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\""
                + path + "\"/></svg>";
    }
}
