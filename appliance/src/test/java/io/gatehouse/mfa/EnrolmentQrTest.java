package io.gatehouse.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EnrolmentQrTest {

    @Test
    void theSvgQrCodeScansBackToTheOtpauthUri() throws Exception {
        EnrolmentQr.Enrolment enrolment = EnrolmentQr.of("riley@example.com", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

        assertThat(enrolment.qrCode()).startsWith("data:image/svg+xml;base64,");
        String svg = new String(Base64.getDecoder().decode(enrolment.qrCode().substring("data:image/svg+xml;base64,".length())),
                StandardCharsets.UTF_8);
        // Draw the SVG's modules as a phone camera would see them (4 pixels per module) and scan it.
        Matcher size = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(size.find()).isTrue();
        int modules = Integer.parseInt(size.group(1));
        int scale = 4;
        BufferedImage image = new BufferedImage(modules * scale, modules * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        Matcher module = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(svg);
        int dark = 0;
        while (module.find()) {
            dark++;
            int mx = Integer.parseInt(module.group(1));
            int my = Integer.parseInt(module.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    image.setRGB(mx * scale + dx, my * scale + dy, 0);
                }
            }
        }
        assertThat(dark).isGreaterThan(100);
        String scanned = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();

        assertThat(scanned).isEqualTo(enrolment.otpauthUri()).startsWith("otpauth://totp/").contains("secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    }
}
