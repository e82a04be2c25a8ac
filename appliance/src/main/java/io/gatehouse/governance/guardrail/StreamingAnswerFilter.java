package io.gatehouse.governance.guardrail;

import io.gatehouse.governance.OutputGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output guardrail over one streamed answer. The rule for holding text back: a finished {@link Segment} (a
 * few words of a line, a whole fenced block, a whole private key block) is judged and released at once; of
 * the unfinished piece, only the part before its last space is released, because every detector matches a run
 * without spaces, so a word is judged once it is complete and a later chunk cannot turn released text into a
 * secret. What can span spaces is held from where it starts until it closes or the line ends (see
 * {@link Segment#holdStart}), and a line that may open a fence or a key block is held whole. Released text is
 * always a prefix of what {@link #finish} makes of the same text, so the stream never shows what the final
 * answer removes.
 */
final class StreamingAnswerFilter implements OutputGuard.AnswerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingAnswerFilter.class);
    private final TextGuard guard;
    /** Raw text received but not yet part of a finished segment. */
    private final StringBuilder pending = new StringBuilder();
    /** How much of the unfinished line has been released, raw, and what was shown for it. */
    private int releasedRaw;
    private String shownOfLine = "";
    private boolean lineStart = true;
    private boolean blocked;

    StreamingAnswerFilter(TextGuard guard) {
        this.guard = guard;
    }

    @Override
    public String onDelta(String delta) {
        if (blocked) {
            return "";
        }
        pending.append(delta);
        StringBuilder out = new StringBuilder();
        Segment segment;
        while ((segment = Segment.first(pending, false, lineStart, sqlChecked())) != null) {
            if (!release(segment, out)) {
                return out.toString();
            }
        }
        int point = releasePoint();
        if (point > releasedRaw) {
            Tally tally = new Tally(guard.policy());
            String shown = guard.guardProse(pending.substring(0, point), tally);
            if (tally.blocked()) {
                blocked = true;
                return out.toString();
            }
            out.append(extension(shown));
            shownOfLine = shown;
            releasedRaw = point;
        }
        return out.toString();
    }

    /** The model's stream has ended: what is still held is judged as final text and released. */
    @Override
    public String flush() {
        if (blocked) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Segment segment;
        while ((segment = Segment.first(pending, true, lineStart, sqlChecked())) != null) {
            if (!release(segment, out)) {
                break;
            }
        }
        return out.toString();
    }

    @Override
    public OutputGuard.Guarded finish(String fullText) {
        return guard.guard(fullText);
    }

    private boolean release(Segment segment, StringBuilder out) {
        Tally tally = new Tally(guard.policy());
        String shown = guard.guard(segment, tally);
        if (tally.blocked()) {
            blocked = true;
            pending.setLength(0);
            return false;
        }
        out.append(extension(shown));
        pending.delete(0, segment.text().length());
        lineStart = segment.text().endsWith("\n");
        releasedRaw = 0;
        shownOfLine = "";
        return true;
    }

    /** The part of {@code shown} not released yet; by the rule above it always extends what was. */
    private String extension(String shown) {
        if (shown.startsWith(shownOfLine)) {
            return shown.substring(shownOfLine.length());
        }
        LOG.warn("Guarded stream diverged from what was already shown; holding the rest of the line");
        return "";
    }

    /** How much of the unfinished first piece may be released now (raw characters from its start). */
    private int releasePoint() {
        String line = pending.toString();
        if (line.indexOf('\n') >= 0 || Segment.mayOpenBlock(line, lineStart)) {
            // A fence or key block still open, or a line that may start one: held whole.
            return releasedRaw;
        }
        int point = 0;
        for (int i = line.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(line.charAt(i))) {
                point = i + 1;
                break;
            }
        }
        return Math.max(Segment.holdStart(line, point, sqlChecked()), releasedRaw);
    }

    private boolean sqlChecked() {
        return guard.policy().on(Check.SQL);
    }
}
