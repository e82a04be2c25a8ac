package io.gatehouse.mfa;

/**
 * Base32 without padding (5 bits a character). Two alphabets: RFC 4648's, which authenticator apps
 * expect for the TOTP secret, and Crockford's for recovery codes, which has no I, L, O or U so a code
 * copied from paper is not misread.
 */
final class Base32 {

    static final String RFC_4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

    private Base32() {
    }

    static String encode(byte[] bytes, String alphabet) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
