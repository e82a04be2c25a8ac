package io.gatehouse.governance.guardrail;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys, tokens, private keys, passwords and connection strings with credentials. Each pattern matches a
 * run of text without spaces (a private key block is the one exception, and the stream holds it back whole),
 * which is what lets a streamed answer be released word by word: a word is judged once it is complete.
 */
final class SecretDetector {

    private record Rule(Pattern pattern, int group, RemovalKind kind) {
    }

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_])([A-Za-z0-9_.-]{0,30}?(?:password|passwd|passphrase|pwd|secret|api[_-]?key|access[_-]?key"
                    + "|private[_-]?key|token)[A-Za-z0-9_-]{0,20}[\"']?[ \\t]{0,3}[:=][ \\t]{0,3}[\"']?)([^\\s\"'`<>,;]{6,})");

    /** Keys that only describe a secret ({@code max_tokens}, {@code password_length}); their values are not secrets. */
    private static final Pattern DESCRIPTIVE_KEY = Pattern.compile(
            "(?i).*(?:tokens|count|length|len|size|type|name|id|ttl|expiry|expires|expires_at|expiration|limit|usage|url|uri"
                    + "|endpoint|file|path|policy|field|hint|required|header|format|version|rotation|reset|min|max)[\"']?[ \\t]*[:=][ \\t]*[\"']?");

    private static final List<Rule> RULES = List.of(
            rule("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\\z)",
                    RemovalKind.PRIVATE_KEY),
            rule("(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[0-9A-Z]{16}(?![A-Za-z0-9])", RemovalKind.API_KEY),
            rule("(?<![A-Za-z0-9_])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}", RemovalKind.ACCESS_TOKEN),
            rule("(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}", RemovalKind.ACCESS_TOKEN),
            rule("(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|ft|soat)-[A-Za-z0-9_-]{20,}", RemovalKind.ACCESS_TOKEN),
            rule("(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,}", RemovalKind.ACCESS_TOKEN),
            rule("https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+", RemovalKind.ACCESS_TOKEN),
            rule("(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", RemovalKind.API_KEY),
            rule("(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{20,}", RemovalKind.API_KEY),
            rule("(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}", RemovalKind.API_KEY),
            rule("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}", RemovalKind.API_KEY),
            // Gatehouse's own personal API tokens.
            rule("(?<![A-Za-z0-9_-])gh_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", RemovalKind.ACCESS_TOKEN),
            rule("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}", RemovalKind.ACCESS_TOKEN),
            rule("(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,20}://[^\\s/:@\"'<>`]+:[^\\s/@\"'<>`]+@[^\\s\"'<>`)]+", RemovalKind.CONNECTION_STRING),
            new Rule(Pattern.compile("(?<![A-Za-z0-9_-])Bearer[ \\t]+([A-Za-z0-9._~+/-]{16,}=*)"), 1, RemovalKind.ACCESS_TOKEN));

    private SecretDetector() {
    }

    private static Rule rule(String regex, RemovalKind kind) {
        return new Rule(Pattern.compile(regex), 0, kind);
    }

    static void find(String text, List<Finding> out) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                out.add(new Finding(m.start(rule.group()), m.end(rule.group()), rule.kind(), TextGuard.REMOVED));
            }
        }
        Matcher m = ASSIGNMENT.matcher(text);
        while (m.find()) {
            String value = m.group(2);
            if (!DESCRIPTIVE_KEY.matcher(m.group(1)).matches() && looksLikeSecret(value)) {
                // Only the value goes: "password: [removed by policy]" still tells the reader what was there.
                out.add(new Finding(m.start(2), m.end(2), RemovalKind.CREDENTIAL, TextGuard.REMOVED));
            }
        }
    }

    /** A word is rarely a password; a value with a digit or symbol, or a long one, usually is. */
    private static boolean looksLikeSecret(String value) {
        if (value.toLowerCase(Locale.ROOT).startsWith("[removed")) {
            return false;
        }
        return value.length() >= 12 || value.chars().anyMatch(c -> !Character.isLetter(c));
    }
}
