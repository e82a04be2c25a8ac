package io.gatehouse.sso;

import java.util.regex.Pattern;

/**
 * What of a sign-in failure may be logged. Library messages can quote a response (a token endpoint's JSON, a
 * JWT that failed to parse); anything that looks like a token or code is cut out before it reaches the log.
 */
final class LogSafe {

    /** Runs of 20+ base64url characters (JWT segments, access tokens, authorization codes, secrets). */
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_-]{20,}");
    private static final int MAX_LENGTH = 300;

    private LogSafe() {
    }

    /** The exception's type and message, then its causes', with anything token-like replaced. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = error; t != null && depth < 4; t = t.getCause(), depth++) {
            if (depth > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(redact(t.getMessage()));
            }
        }
        return text.toString();
    }

    static String redact(String message) {
        String flat = message.length() > 4 * MAX_LENGTH ? message.substring(0, 4 * MAX_LENGTH) : message;
        // Random values mix digits and letters; words such as "openid-configuration" do not and stay readable.
        String cleaned = TOKEN_LIKE.matcher(flat.replaceAll("[\\r\\n\\t]+", " "))
                .replaceAll(m -> m.group().matches(".*[0-9].*") && m.group().matches(".*[A-Za-z].*") ? "[redacted]" : m.group());
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) + "…" : cleaned;
    }
}
