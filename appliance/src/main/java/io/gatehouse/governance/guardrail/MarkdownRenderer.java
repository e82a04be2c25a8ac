package io.gatehouse.governance.guardrail;

import io.gatehouse.auth.Caller;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Renders a (guarded) answer from Markdown to HTML for the chat page, in two walls. Commonmark escapes any raw
 * HTML the model wrote, renders no images at all, renders a link only when it goes to an allowed site
 * (otherwise just its text), and never turns a bare URL into a link. The OWASP sanitizer then lets through only
 * plain formatting elements and {@code http(s)} links to allowed sites (with {@code rel="noreferrer noopener
 * nofollow"}): nothing that loads on its own (no images, frames, media, styles, scripts or event attributes).
 */
@Singleton
public final class MarkdownRenderer {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final Pattern BETWEEN_TAGS = Pattern.compile(">\\n+<");

    private final GuardrailPolicies policies;

    MarkdownRenderer(GuardrailPolicies policies) {
        this.policies = policies;
    }

    /** The answer as safe HTML, with the caller's allowed link domains. */
    public String render(Caller caller, String markdown) {
        return render(markdown, policies.policyFor(caller).links());
    }

    static String render(String markdown, AllowedLinks allowed) {
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true)
                .nodeRendererFactory(context -> new LinkPolicyRenderer(context, allowed)).build();
        String html = renderer.render(PARSER.parse(markdown == null ? "" : markdown));
        String clean = policy(allowed).sanitize(html);
        // The chat bubble keeps the model's line breaks (white-space: pre-wrap); newlines between block
        // elements would show as empty lines. Text never holds a bare '<' or '>' here: both are escaped.
        return BETWEEN_TAGS.matcher(clean).replaceAll("><").strip();
    }

    private static PolicyFactory policy(AllowedLinks allowed) {
        return new HtmlPolicyBuilder()
                .allowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
                        "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a")
                .allowAttributes("start").matching(Pattern.compile("\\d{1,6}")).onElements("ol")
                .allowAttributes("align").matching(true, "left", "center", "right").onElements("th", "td")
                .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+#-]{1,30}")).onElements("code")
                .allowUrlProtocols("http", "https")
                .allowAttributes("href").matching((element, attribute, value) -> allowed.allows(value) ? value : null).onElements("a")
                .requireRelsOnLinks("noopener", "noreferrer", "nofollow")
                .toFactory();
    }

    /** Links only to allowed sites (otherwise their text), and no images (not even their alt text as a link). */
    private static final class LinkPolicyRenderer implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final AllowedLinks allowed;

        LinkPolicyRenderer(HtmlNodeRendererContext context, AllowedLinks allowed) {
            this.context = context;
            this.allowed = allowed;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class);
        }

        @Override
        public void render(Node node) {
            if (node instanceof Image) {
                return;
            }
            Link link = (Link) node;
            boolean keep = allowed.allows(link.getDestination());
            if (keep) {
                Map<String, String> attributes = new LinkedHashMap<>();
                // The sanitizer adds rel="noreferrer noopener nofollow" to every link it lets through.
                attributes.put("href", context.encodeUrl(link.getDestination()));
                context.getWriter().tag("a", attributes);
            }
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                context.render(child);
            }
            if (keep) {
                context.getWriter().tag("/a");
            }
        }
    }
}
