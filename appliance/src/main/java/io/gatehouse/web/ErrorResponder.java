package io.gatehouse.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.openai.OpenAiErrors;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.views.ViewsRenderer;
import io.micronaut.views.ViewsRendererLocator;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error response, ours and the framework's (bad JSON, unknown route, wrong method), is shaped here
 * once, by who asked: {@code /v1/**} gets OpenAI's error object, other API paths an RFC 9457 problem, and
 * browser pages a friendly page (or, when the session is gone, the sign-in page).
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ErrorResponder implements ErrorResponseProcessor<Object> {

    static final String PROBLEM_TYPE_PREFIX = "urn:gatehouse:problem:";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    private final ObjectMapper json;
    private final ViewsRendererLocator views;

    ErrorResponder(ObjectMapper json, ViewsRendererLocator views) {
        this.json = json;
        this.views = views;
    }

    @Override
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        String path = request.getPath();
        Throwable cause = context.getRootCause().orElse(null);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> out = (MutableHttpResponse<Object>) response;
        if (cause instanceof GatehouseException g && response.code() == HttpStatus.INTERNAL_SERVER_ERROR.getCode()) {
            out.status(g.status()); // raised by a streamed body before its first byte: the framework says 500 without asking
        }
        int status = out.code();
        String detail = detail(context, status, cause);
        out.contentType(MediaType.APPLICATION_JSON_TYPE);

        if (path.equals("/v1") || path.startsWith("/v1/")) {
            String param = cause instanceof GatehouseException.BadRequest b ? b.field() : null;
            String code = cause instanceof GatehouseException g ? g.type().replace('-', '_') : null;
            out.body(OpenAiErrors.body(json, status, detail, param, code));
            return out;
        }
        if (isPage(request)) {
            if (status == HttpStatus.UNAUTHORIZED.getCode()) {
                String next = URLEncoder.encode(request.getUri().toString(), StandardCharsets.UTF_8);
                out.status(HttpStatus.SEE_OTHER);
                out.getHeaders().location(URI.create("/login?next=" + next));
                out.body(null);
                return out;
            }
            if (cause instanceof GatehouseException.StepRequired step) {
                out.status(HttpStatus.SEE_OTHER);
                out.getHeaders().location(URI.create(step.location()));
                out.body(null);
                return out;
            }
            Map<String, Object> model = new HashMap<>();
            model.put("title", HttpStatus.valueOf(status).getReason());
            model.put("message", detail);
            out.body(page(model, request));
            out.contentType(MediaType.TEXT_HTML_TYPE);
            return out;
        }
        ObjectNode problem = json.createObjectNode();
        problem.put("type", PROBLEM_TYPE_PREFIX + (cause instanceof GatehouseException g ? g.type() : slug(status)));
        problem.put("title", HttpStatus.valueOf(status).getReason());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", path);
        if (cause instanceof GatehouseException.BadRequest b && b.field() != null) {
            problem.put("field", b.field());
        }
        out.body(problem);
        out.contentType(MediaType.of("application/problem+json"));
        return out;
    }

    /**
     * The "message" page, rendered here, not by the views filter: that filter does not see responses of unmatched
     * routes. The renderer is eager ({@link EagerViewsRendererLocator}), so a failure shows up now; then a plain
     * built-in page stands in, since this is where errors end and nothing may throw from here.
     */
    private Object page(Map<String, Object> model, HttpRequest<?> request) {
        try {
            @SuppressWarnings("unchecked")
            ViewsRenderer<Object, HttpRequest<?>> renderer = views.resolveViewsRenderer("message", MediaType.TEXT_HTML, model)
                    .orElseThrow(() -> new IllegalStateException("No renderer for the message view"));
            return renderer.render("message", model, request);
        } catch (RuntimeException e) {
            LOG.error("Rendering the error page (view message) for {} {} failed", request.getMethod(), request.getPath(), e);
            String title = escape(String.valueOf(model.get("title")));
            return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>" + title
                    + "</h1><p>" + escape(String.valueOf(model.get("message"))) + "</p><p><a href=\"/\">Back to Gatehouse</a></p></body></html>";
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** Our own exceptions carry a message meant for people; framework messages are summarised. */
    private static String detail(ErrorContext context, int status, Throwable cause) {
        if (cause instanceof GatehouseException) {
            return cause.getMessage();
        }
        if (status >= 500) {
            return "Something went wrong on the server. The error was logged; try again or ask your admin.";
        }
        if (status == 404) {
            return "There is nothing at this address.";
        }
        if (status == 405) {
            return "This address does not accept that HTTP method.";
        }
        if (status == 415) {
            return "Send the request body as JSON (Content-Type: application/json).";
        }
        return context.getErrors().stream().map(Error::getMessage).findFirst()
                .map(m -> m.length() > 300 ? m.substring(0, 300) + "…" : m)
                .orElse("The request is not valid.");
    }

    private static boolean isPage(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.startsWith("/api/") || path.startsWith("/health") || path.startsWith("/static/") || path.startsWith("/webjars/")) {
            return false;
        }
        return request.getHeaders().accept().stream().anyMatch(m -> m.matches(MediaType.TEXT_HTML_TYPE))
                || request.getHeaders().accept().isEmpty();
    }

    private static String slug(int status) {
        return HttpStatus.valueOf(status).getReason().toLowerCase().replaceAll("[^a-z]+", "-");
    }
}
