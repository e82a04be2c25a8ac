package io.gatehouse.mfa;

/** Where to go after the second factor: a local path only, so the MFA pages cannot become an open redirect. */
final class LocalRedirect {

    private LocalRedirect() {
    }

    static String target(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.contains("://")
                || next.startsWith("/mfa")) {
            return "/";
        }
        return next;
    }
}
