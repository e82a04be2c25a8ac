package io.gatehouse.governance.guardrail;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sites an answer may link to: a link is kept only when it is {@code http(s)} to one of these domains or a
 * subdomain of one. Anything else (relative links, {@code mailto:}, {@code javascript:}, credentials in the URL,
 * odd host characters) is not a link to an allowed site.
 */
record AllowedLinks(Set<String> domains) {

    private static final Pattern HOST = Pattern.compile("[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?");

    AllowedLinks {
        domains = Set.copyOf(domains);
    }

    static AllowedLinks none() {
        return new AllowedLinks(Set.of());
    }

    boolean allows(String url) {
        String host = host(url);
        return host != null && covers(domains, host);
    }

    /**
     * The strictest combination with a role's own list: only what both allow. An empty role list adds no
     * restriction of its own (the role uses everyone's list).
     */
    AllowedLinks narrowedTo(List<String> roleDomains) {
        if (roleDomains.isEmpty()) {
            return this;
        }
        Set<String> both = new LinkedHashSet<>();
        for (String mine : domains) {
            for (String theirs : roleDomains) {
                if (isWithin(theirs, mine)) {
                    both.add(theirs);
                } else if (isWithin(mine, theirs)) {
                    both.add(mine);
                }
            }
        }
        return new AllowedLinks(both);
    }

    /** The host of an absolute http(s) URL, lower case; null for anything else or anything odd. */
    static String host(String url) {
        String u = url.strip().toLowerCase(Locale.ROOT);
        String rest;
        if (u.startsWith("https://")) {
            rest = u.substring(8);
        } else if (u.startsWith("http://")) {
            rest = u.substring(7);
        } else {
            return null;
        }
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#', '\\'}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        if (authority.contains("@")) {
            // user:password@host is how a link smuggles a different host past a careless reader.
            return null;
        }
        int colon = authority.lastIndexOf(':');
        String host = colon >= 0 ? authority.substring(0, colon) : authority;
        if (colon >= 0) {
            String port = authority.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                return null;
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return HOST.matcher(host).matches() && !host.contains("..") ? host : null;
    }

    static boolean covers(Set<String> domains, String host) {
        for (String domain : domains) {
            if (isWithin(host, domain)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWithin(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }
}
