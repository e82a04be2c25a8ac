package io.gatehouse.governance.guardrail;

import io.gatehouse.governance.OutputGuard;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Judges answer text with one person's {@link EffectivePolicy}; a pure function of (policy, text). First the
 * always-on link rules, then the checks the policy turns on. Removed spans become {@value #REMOVED}.
 */
final class TextGuard {

    static final String REMOVED = "[removed by policy]";
    static final String WITHHELD = "This answer was withheld by policy.";

    private final EffectivePolicy policy;
    private final LinkDetector links;
    private final InternalAddressDetector internal;
    private final Pattern identifiers;

    TextGuard(EffectivePolicy policy) {
        this.policy = policy;
        this.links = new LinkDetector(policy.links());
        this.internal = new InternalAddressDetector(policy.internalDomains());
        this.identifiers = policy.blockedIdentifiers().isEmpty() ? null : Pattern.compile("(?i)(?<![\\w$])(?:"
                + policy.blockedIdentifiers().stream().sorted(Comparator.comparingInt(String::length).reversed())
                        .map(Pattern::quote).collect(Collectors.joining("|")) + ")(?![\\w$])");
    }

    EffectivePolicy policy() {
        return policy;
    }

    /** A whole answer at once: what the person keeps, and a short description of each kind of removal. */
    OutputGuard.Guarded guard(String text) {
        Tally tally = new Tally(policy);
        StringBuilder out = new StringBuilder(text.length());
        String rest = text;
        boolean lineStart = true;
        Segment segment;
        while ((segment = Segment.first(rest, true, lineStart, policy.on(Check.SQL))) != null) {
            out.append(guard(segment, tally));
            rest = rest.substring(segment.text().length());
            lineStart = segment.text().endsWith("\n");
        }
        if (tally.blocked()) {
            return new OutputGuard.Guarded(WITHHELD, List.of("the whole answer (it contained " + String.join(", ", tally.descriptions()) + ")"));
        }
        return new OutputGuard.Guarded(out.toString(), tally.descriptions());
    }

    String guard(Segment segment, Tally tally) {
        return switch (segment.type()) {
            case LINE -> guardProse(segment.text(), tally);
            case PEM -> guardCode(segment.text(), tally);
            case FENCE -> {
                String newline = segment.text().endsWith("\n") ? "\n" : "";
                if (policy.on(Check.CODE_BLOCKS)) {
                    tally.add(RemovalKind.CODE_BLOCK);
                    yield REMOVED + newline;
                }
                if (policy.on(Check.SQL) && SqlDetector.isSqlBlock(segment.info(), body(segment.text()))) {
                    tally.add(RemovalKind.SQL);
                    yield REMOVED + newline;
                }
                yield guardCode(segment.text(), tally);
            }
        };
    }

    /** One line of prose (or the start of one, while it streams). */
    String guardProse(String line, Tally tally) {
        // Secrets first: a URL that is a token (a Slack webhook) or carries credentials is named as such,
        // not as a link; on a tie the first finding wins.
        List<Finding> found = new ArrayList<>();
        if (policy.on(Check.SECRETS)) {
            SecretDetector.find(line, found);
        }
        links.find(line, found);
        String linked = Finding.apply(line, found, tally);
        found.clear();
        if (policy.on(Check.SQL)) {
            SqlDetector.findInProse(linked, found);
        }
        findAddressesAndNames(linked, found);
        return Finding.apply(linked, found, tally);
    }

    /** Code and key blocks: no links are rendered from them, but secrets, addresses and names still go. */
    private String guardCode(String text, Tally tally) {
        List<Finding> found = new ArrayList<>();
        findContent(text, found);
        return Finding.apply(text, found, tally);
    }

    private void findContent(String text, List<Finding> found) {
        if (policy.on(Check.SECRETS)) {
            SecretDetector.find(text, found);
        }
        findAddressesAndNames(text, found);
    }

    private void findAddressesAndNames(String text, List<Finding> found) {
        if (policy.on(Check.INTERNAL_ADDRESSES)) {
            internal.find(text, found);
        }
        if (identifiers != null && policy.on(Check.IDENTIFIERS)) {
            Matcher m = identifiers.matcher(text);
            while (m.find()) {
                found.add(new Finding(m.start(), m.end(), RemovalKind.IDENTIFIER, REMOVED));
            }
        }
    }

    private static String body(String fence) {
        int first = fence.indexOf('\n');
        return first < 0 ? "" : fence.substring(first + 1);
    }
}
