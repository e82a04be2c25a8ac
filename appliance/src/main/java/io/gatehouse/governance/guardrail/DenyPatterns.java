package io.gatehouse.governance.guardrail;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the admin's deny patterns to a tool result. The patterns are the admin's, but the text is a
 * connector's, so a pattern that backtracks badly on crafted text could stall the turn: matching runs against
 * a time budget, and a result that cannot be checked in time is withheld.
 */
final class DenyPatterns {

    static final String WITHHELD = "[The result was withheld: the deny-pattern check did not finish in time.]";

    private final List<Pattern> patterns;
    private final long budgetNanos;

    DenyPatterns(List<Pattern> patterns, long budgetNanos) {
        this.patterns = patterns;
        this.budgetNanos = budgetNanos;
    }

    record Redacted(String text, int removed, boolean timedOut) {
    }

    Redacted apply(String content) {
        if (patterns.isEmpty() || content.isEmpty()) {
            return new Redacted(content, 0, false);
        }
        long deadline = System.nanoTime() + budgetNanos;
        String text = content;
        int removed = 0;
        try {
            for (Pattern pattern : patterns) {
                Matcher m = pattern.matcher(new Deadlined(text, deadline));
                StringBuilder out = new StringBuilder(text.length());
                int at = 0;
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue;
                    }
                    out.append(text, at, m.start()).append(TextGuard.REMOVED);
                    at = m.end();
                    removed++;
                }
                text = out.append(text, at, text.length()).toString();
            }
        } catch (OutOfTime e) {
            return new Redacted(WITHHELD, removed, true);
        }
        return new Redacted(text, removed, false);
    }

    private static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super(null, null, false, false);
        }
    }

    /** Text whose reads fail once the deadline has passed, which stops a runaway regex from the inside. */
    private static final class Deadlined implements CharSequence {
        private final String text;
        private final long deadline;
        private int reads;

        Deadlined(String text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0x3ff) == 0 && System.nanoTime() > deadline) {
                throw new OutOfTime();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadlined(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
