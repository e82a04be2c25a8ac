package io.gatehouse.governance.guardrail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of an answer that is judged on its own: a line or a few words of one, a whole
 * fenced code block, or a whole private key block. Where an answer splits depends only on its text (and on
 * whether SQL is checked), so a streamed answer and the same answer judged at once split the same way; that is
 * what makes the stream show exactly a prefix of the final answer.
 */
record Segment(Type type, String text, String info) {

    enum Type { LINE, FENCE, PEM }

    /**
     * A line is cut into pieces of a few words (at a space, once a piece is this long), so a streamed paragraph is
     * judged a piece at a time rather than re-judged whole at every chunk. No detector needs text across such a
     * cut: each matches a run without spaces, the constructs that span spaces are never cut (see
     * {@link #holdStart}), and a word that gives the next one its meaning (a password key, "Bearer") is not cut off.
     */
    static final int CUT_AFTER = 24;

    private static final Pattern GIVES_CONTEXT = Pattern.compile(
            "(?i).*(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|token)[A-Za-z0-9_-]{0,20}[\"']?"
                    + "|bearer|.*[:=\"']");
    private static final Pattern FENCE_OPEN = Pattern.compile("^ {0,3}(?:(`{3,})([^`\\n]*)|(~{3,})([^\\n]*))\\n?$");
    private static final Pattern MAY_OPEN_FENCE = Pattern.compile("^ {0,3}[`~]");
    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern TAG_START = Pattern.compile("<[A-Za-z/!]");

    /**
     * The first segment of {@code text}, or null while it is not complete. {@code lineStart} says whether the text
     * starts a line (only there can a fence open). With {@code end} (nothing more will come) the text always
     * yields a segment: an unclosed fence or key block runs to the end.
     */
    static Segment first(CharSequence text, boolean end, boolean lineStart, boolean sqlChecked) {
        if (text.isEmpty()) {
            return null;
        }
        String s = text.toString();
        int nl = s.indexOf('\n');
        int lineEnd = nl < 0 ? s.length() : nl + 1;
        String line = s.substring(0, lineEnd);
        if (lineStart && (nl >= 0 || end) && FENCE_OPEN.matcher(line).matches()) {
            return fence(s, line, lineEnd, end);
        }
        // A cut depends only on the text before it, so it is tried before the key block check, which looks at
        // the whole line: a stream that cut before a key block arrived and the whole answer cut the same way.
        int cut = wordCut(nl < 0 ? s : s.substring(0, nl), lineStart, sqlChecked);
        if (cut > 0) {
            return new Segment(Type.LINE, s.substring(0, cut), "");
        }
        if (PEM_BEGIN.matcher(line).find()) {
            Matcher close = PEM_END.matcher(s);
            if (close.find()) {
                int next = s.indexOf('\n', close.end());
                if (next >= 0 || end) {
                    return new Segment(Type.PEM, s.substring(0, next < 0 ? s.length() : next + 1), "");
                }
                return null;
            }
            return end ? new Segment(Type.PEM, s, "") : null;
        }
        return nl >= 0 || end ? new Segment(Type.LINE, line, "") : null;
    }

    private static Segment fence(String s, String line, int lineEnd, boolean end) {
        Matcher fence = FENCE_OPEN.matcher(line);
        fence.matches();
        String marker = fence.group(1) != null ? fence.group(1) : fence.group(3);
        String info = (fence.group(1) != null ? fence.group(2) : fence.group(4)).strip();
        Pattern close = Pattern.compile("^ {0,3}" + Pattern.quote(String.valueOf(marker.charAt(0))) + "{" + marker.length() + ",}[ \\t]*$");
        int at = lineEnd;
        while (at < s.length()) {
            int next = s.indexOf('\n', at);
            if (next < 0 && !end) {
                return null;
            }
            int stop = next < 0 ? s.length() : next + 1;
            if (close.matcher(s.substring(at, next < 0 ? s.length() : next)).matches()) {
                return new Segment(Type.FENCE, s.substring(0, stop), info);
            }
            at = stop;
        }
        return end ? new Segment(Type.FENCE, s, info) : null;
    }

    /** Where a line may be cut (the length of the first piece), or 0. Decided by the text before the cut only. */
    private static int wordCut(String line, boolean lineStart, boolean sqlChecked) {
        if (line.length() <= CUT_AFTER || (lineStart && MAY_OPEN_FENCE.matcher(line).find())) {
            return 0;
        }
        int dashes = line.indexOf("-----");
        int wordStart = 0;
        for (int i = 0; i < line.length() && (dashes < 0 || i < dashes); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                continue;
            }
            if (i > wordStart && i >= CUT_AFTER && !GIVES_CONTEXT.matcher(line.substring(wordStart, i)).matches()
                    && holdStart(line, i + 1, sqlChecked) > i) {
                return i + 1;
            }
            wordStart = i + 1;
        }
        return 0;
    }

    /**
     * Where the first construct that may span spaces and is still open at {@code point} starts, or {@code point}:
     * a Markdown image or link target not closed by ")", an HTML tag not closed by ">", and when SQL is checked an
     * upper-case SQL keyword (its statement runs to the end of the line) or an unclosed inline code span.
     */
    static int holdStart(String line, int point, boolean sqlChecked) {
        point = notInside(line, "![", ")", point);
        point = notInside(line, "](", ")", point);
        // Only the text before the point can open a construct; matching stops there (a line may be long).
        Matcher tag = TAG_START.matcher(line).region(0, Math.min(point + 1, line.length()));
        while (tag.find() && tag.start() < point) {
            int close = line.indexOf('>', tag.start());
            if (close < 0 || point <= close) {
                point = tag.start();
                break;
            }
        }
        if (sqlChecked) {
            Matcher keyword = SqlDetector.KEYWORD.matcher(line).region(0, Math.min(point, line.length())).useTransparentBounds(true);
            if (keyword.find()) {
                point = keyword.start();
            }
            point = notInside(line, "`", "`", point);
        }
        return point;
    }

    /** {@code point}, or the start of an {@code open} ... {@code close} construct that is open there. */
    private static int notInside(String line, String open, String close, int point) {
        int at = line.indexOf(open);
        while (at >= 0 && at < point) {
            int end = line.indexOf(close, at + open.length());
            if (end < 0 || point <= end) {
                return at;
            }
            at = line.indexOf(open, end + close.length());
        }
        return point;
    }

    /** Whether a partial line may still become a fence opener or a key block line, so nothing of it may go yet. */
    static boolean mayOpenBlock(String partialLine, boolean lineStart) {
        return (lineStart && MAY_OPEN_FENCE.matcher(partialLine).find()) || partialLine.contains("-----");
    }
}
