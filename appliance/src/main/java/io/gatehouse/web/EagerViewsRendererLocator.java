package io.gatehouse.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.io.Writable;
import io.micronaut.views.DefaultViewsRendererLocator;
import io.micronaut.views.ViewsRenderer;
import io.micronaut.views.ViewsRendererLocator;
import io.micronaut.views.exceptions.ViewRenderingException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out views renderers that render the whole page when asked, not later.
 *
 * <p>micronaut-views' Thymeleaf renderer returns a {@link Writable} that runs the template only when the
 * response body is written, inside Micronaut's blocking body writer ({@code ResponseLifecycle} via
 * {@code ExecutionFlow.async}). An exception there escapes into the executor's future, where nobody looks:
 * the response never completes and the request hangs until some timeout. Rendered here instead, a template
 * failure is thrown from the views filter (or {@link ErrorResponder}) like any other exception and becomes a
 * 500 page. Pages are small, so the extra copy through a string costs next to nothing.
 */
@Singleton
@Replaces(DefaultViewsRendererLocator.class)
final class EagerViewsRendererLocator implements ViewsRendererLocator {

    private final ViewsRendererLocator framework;
    private final Map<ViewsRenderer<?, ?>, ViewsRenderer<?, ?>> eager = new ConcurrentHashMap<>();

    EagerViewsRendererLocator(ApplicationContext context) {
        this.framework = new DefaultViewsRendererLocator(context);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Optional<ViewsRenderer> resolveViewsRenderer(String view, String contentType, Object body) {
        return framework.resolveViewsRenderer(view, contentType, body)
                .map(renderer -> (ViewsRenderer) eager.computeIfAbsent(renderer, r -> new Eager<>((ViewsRenderer<Object, Object>) r)));
    }

    /** Renders into a string at once; the writable it returns only copies that string out. */
    private record Eager<T, R>(ViewsRenderer<T, R> delegate) implements ViewsRenderer<T, R> {

        @Override
        public Writable render(String viewName, T data, R request) {
            StringWriter page = new StringWriter(8192);
            try {
                delegate.render(viewName, data, request).writeTo(page);
            } catch (IOException | UncheckedIOException e) {
                throw new ViewRenderingException("Error rendering view [" + viewName + "]: " + e.getMessage(), e);
            }
            String html = page.toString();
            return out -> out.write(html);
        }

        @Override
        public boolean exists(String viewName) {
            return delegate.exists(viewName);
        }

        @Override
        public int getOrder() {
            return delegate.getOrder();
        }
    }
}
