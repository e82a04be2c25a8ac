package io.gatehouse.governance.guardrail;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Addresses inside the company network: private, loopback, link-local and shared IPv4 ranges, IPv6 loopback,
 * link-local and unique-local addresses, localhost, hosts under {@code .internal}, {@code .local},
 * {@code .corp} (and {@code .lan}, {@code .intranet}, {@code .home.arpa}), and the admin's internal domains.
 */
final class InternalAddressDetector {

    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::\\d{1,5}|/\\d{1,2})?(?!\\.?\\w)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?i)(?<![\\w:.])\\[?(?:fe[89ab][0-9a-f]|f[cd][0-9a-f]{2})(?::[0-9a-f]{0,4}){1,7}(?:%[\\w.]+)?\\]?(?::\\d{1,5})?(?![\\w:])"
                    + "|(?<![\\w:.])\\[?::1\\]?(?::\\d{1,5})?(?![\\w:])");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(?<![\\w.-])(?:localhost(?:\\.localdomain)?|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
                    + "(?:internal|local|corp|lan|intranet|localdomain|home\\.arpa))(?::\\d{1,5})?(?![\\w-]|\\.[a-z0-9])");

    private final Pattern adminDomains;

    InternalAddressDetector(Collection<String> internalDomains) {
        this.adminDomains = internalDomains.isEmpty() ? null : Pattern.compile("(?i)(?<![\\w.-])(?:[a-z0-9-]+\\.)*(?:"
                + internalDomains.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ")(?::\\d{1,5})?(?![\\w-]|\\.[a-z0-9])");
    }

    void find(String text, List<Finding> out) {
        Matcher ip = IPV4.matcher(text);
        while (ip.find()) {
            if (isInternal(octet(ip, 1), octet(ip, 2), octet(ip, 3), octet(ip, 4))) {
                out.add(new Finding(ip.start(), ip.end(), RemovalKind.INTERNAL_ADDRESS, TextGuard.REMOVED));
            }
        }
        add(IPV6, text, out);
        add(NAMED, text, out);
        if (adminDomains != null) {
            add(adminDomains, text, out);
        }
    }

    private static void add(Pattern pattern, String text, List<Finding> out) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(new Finding(m.start(), m.end(), RemovalKind.INTERNAL_ADDRESS, TextGuard.REMOVED));
        }
    }

    private static int octet(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    static boolean isInternal(int a, int b, int c, int d) {
        if (a > 255 || b > 255 || c > 255 || d > 255) {
            return false;
        }
        return a == 10 || a == 127
                || (a == 172 && b >= 16 && b <= 31)
                || (a == 192 && b == 168)
                || (a == 169 && b == 254)
                || (a == 100 && b >= 64 && b <= 127);
    }
}
