package io.gatehouse.web;

import io.gatehouse.chat.ChatPipeline;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.ModelCallException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps domain exceptions to responses through {@link ErrorResponder}; anything unexpected is a logged 500. */
@Factory
final class ExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ExceptionHandlers.class);

    @Singleton
    ExceptionHandler<GatehouseException, HttpResponse<?>> domain(ErrorResponder responder) {
        return (request, e) -> respond(responder, request, e);
    }

    @Singleton
    ExceptionHandler<ModelCallException, HttpResponse<?>> modelFailure(ErrorResponder responder) {
        return (request, e) -> respond(responder, request, new GatehouseException.Unavailable(
                e.kind() == ModelCallException.Kind.TIMEOUT ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
                "model-" + e.kind().name().toLowerCase().replace('_', '-'), e.getMessage()));
    }

    @Singleton
    ExceptionHandler<ChatPipeline.NoModelConfiguredException, HttpResponse<?>> noModel(ErrorResponder responder) {
        return (request, e) -> respond(responder, request,
                new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, "no-model-configured", e.getMessage()));
    }

    private static HttpResponse<?> respond(ErrorResponder responder, HttpRequest<?> request, GatehouseException e) {
        MutableHttpResponse<?> response = HttpResponse.status(e.status());
        if (e instanceof GatehouseException.TooManyRequests limited) {
            response.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        if (e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
            LOG.error("Request {} {} failed", request.getMethod(), request.getPath(), e);
        }
        return responder.processResponse(ErrorContext.builder(request).cause(e).errorMessage(e.getMessage()).build(), response);
    }
}
