package io.gatehouse.auth;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where to send someone after a step (sign-in, SSO, MFA): a path on this site, never another site. Browsers
 * treat {@code //host}, {@code /\host} and paths with tabs or newlines in them (which they strip) as other
 * sites, so anything but a plain local path becomes {@code /}.
 */
public final class ReturnTo {

    private ReturnTo() {
    }

    /** {@code next} if it is a safe local path, otherwise {@code /}. */
    public static String local(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//") || next.indexOf('\\') >= 0) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return "/";
            }
        }
        try {
            URI uri = new URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                return "/";
            }
        } catch (URISyntaxException e) {
            return "/";
        }
        return next;
    }

    /** As {@link #local}, and also not back into a page that starts with {@code excludedPrefix} (no loops). */
    public static String localExcept(String next, String excludedPrefix) {
        String target = local(next);
        return target.startsWith(excludedPrefix) ? "/" : target;
    }
}
