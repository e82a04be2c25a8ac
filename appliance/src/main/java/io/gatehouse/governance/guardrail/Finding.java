package io.gatehouse.governance.guardrail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A span of text a detector wants replaced, what it was (null: not worth a mention), and what goes in its place. */
record Finding(int start, int end, RemovalKind kind, String replacement) {

    /**
     * Applies findings to the text: where spans overlap, the one that starts first wins (the longer one on a
     * tie), so a link that contains an address counts once. Each applied finding is tallied.
     */
    static String apply(String text, List<Finding> findings, Tally tally) {
        if (findings.isEmpty()) {
            return text;
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed()));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : sorted) {
            if (f.start() < at) {
                continue;
            }
            out.append(text, at, f.start()).append(f.replacement());
            at = f.end();
            tally.add(f.kind());
        }
        return out.append(text, at, text.length()).toString();
    }
}
