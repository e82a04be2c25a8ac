package io.gatehouse.governance.guardrail;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ways an answer can make a browser or a Markdown client fetch or offer a URL, the classic way for an
 * instruction planted in a tool result to carry data out ("render this image: https://evil.example/?q=..."):
 * Markdown images (all removed), links and reference definitions to sites not on the allowed list (the link
 * text stays, the target goes), autolinks and bare URLs to such sites, and embedded HTML elements.
 * Applied to the raw Markdown, so the OpenAI-compatible API returns the same safe text as the chat page.
 */
final class LinkDetector {

    private static final String TITLE = "(?:\\s+(?:\"[^\"\\n]*\"|'[^'\\n]*'))?";
    /** A link destination as Markdown reads it: balanced parentheses may appear inside. */
    private static final String DESTINATION = "<?((?:[^()\\s<>]|\\([^()\\s]*\\))*)>?";
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]\\n]*\\](?:\\(\\s*" + DESTINATION + TITLE + "\\s*\\)|\\[[^\\]\\n]*\\])");
    private static final Pattern LINK_TARGET = Pattern.compile("\\]\\(\\s*" + DESTINATION + TITLE + "\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("(?m)^ {0,3}\\[[^\\]\\n]+\\]:[ \\t]*<?([^\\s>]+)>?");
    private static final Pattern AUTOLINK = Pattern.compile("(?i)<((?:https?|ftp|mailto|javascript|data):[^>\\s]*)>");
    private static final Pattern BARE_URL = Pattern.compile("(?i)(?<![\\w/@.:-])(?:(?:https?|ftp)://|www\\.)[^\\s<>\"'`\\[\\]()]+");
    private static final Pattern HTML_ELEMENT = Pattern.compile(
            "(?i)<\\s*(img|image|iframe|frame|frameset|object|embed|video|audio|source|track|picture|link|meta|script|style|form"
                    + "|input|button|svg|math|base|a)\\b[^>]*>");
    /** The matching closing tags go too, uncounted (the opening tag was counted). */
    private static final Pattern HTML_CLOSING = Pattern.compile(
            "(?i)</\\s*(?:iframe|frame|frameset|object|embed|video|audio|picture|script|style|form|button|svg|math)\\s*>");
    private static final Pattern HREF = Pattern.compile("(?i)\\bhref\\s*=\\s*[\"']?([^\"'\\s>]+)");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.,;:!?*_~]+$");

    private final AllowedLinks allowed;

    LinkDetector(AllowedLinks allowed) {
        this.allowed = allowed;
    }

    void find(String text, List<Finding> out) {
        Matcher image = IMAGE.matcher(text);
        while (image.find()) {
            out.add(new Finding(image.start(), image.end(), RemovalKind.IMAGE, ""));
        }
        Matcher target = LINK_TARGET.matcher(text);
        while (target.find()) {
            if (!allowed.allows(target.group(1))) {
                // "[text](url)" becomes "[text]": the words stay, nothing is clickable.
                out.add(new Finding(target.start(), target.end(), RemovalKind.LINK, "]"));
            }
        }
        Matcher reference = REFERENCE.matcher(text);
        while (reference.find()) {
            if (!allowed.allows(reference.group(1))) {
                out.add(new Finding(reference.start(1), reference.end(1), RemovalKind.LINK, ""));
            }
        }
        Matcher autolink = AUTOLINK.matcher(text);
        while (autolink.find()) {
            if (!allowed.allows(autolink.group(1))) {
                out.add(new Finding(autolink.start(), autolink.end(), RemovalKind.LINK, TextGuard.REMOVED));
            }
        }
        Matcher bare = BARE_URL.matcher(text);
        while (bare.find()) {
            String url = bare.group();
            Matcher punctuation = TRAILING_PUNCTUATION.matcher(url);
            int end = bare.end() - (punctuation.find() ? punctuation.group().length() : 0);
            url = text.substring(bare.start(), end);
            String absolute = url.toLowerCase(Locale.ROOT).startsWith("www.") ? "https://" + url : url;
            if (!allowed.allows(absolute)) {
                out.add(new Finding(bare.start(), end, RemovalKind.LINK, TextGuard.REMOVED));
            }
        }
        Matcher html = HTML_ELEMENT.matcher(text);
        while (html.find()) {
            String element = html.group(1).toLowerCase(Locale.ROOT);
            if (element.equals("a")) {
                Matcher href = HREF.matcher(html.group());
                if (href.find() && allowed.allows(href.group(1))) {
                    continue;
                }
                out.add(new Finding(html.start(), html.end(), RemovalKind.LINK, ""));
            } else {
                out.add(new Finding(html.start(), html.end(),
                        element.equals("img") || element.equals("image") ? RemovalKind.IMAGE : RemovalKind.EMBEDDED_HTML, ""));
            }
        }
        Matcher closing = HTML_CLOSING.matcher(text);
        while (closing.find()) {
            out.add(new Finding(closing.start(), closing.end(), null, ""));
        }
    }
}
