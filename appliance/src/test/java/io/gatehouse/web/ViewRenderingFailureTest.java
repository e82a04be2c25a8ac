package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.TestPortal;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.views.exceptions.ViewRenderingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A template that throws while rendering must give a prompt 500 page, not a request that hangs until a timeout
 * (micronaut-views renders lazily, while the body is written, where a failure produced no response at all).
 */
class ViewRenderingFailureTest {

    /** Far below the hang (about 30 s) that the bug produced; a healthy portal answers in milliseconds. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    static TestPortal portal;
    static HttpClient http;

    @BeforeAll
    static void start() {
        portal = TestPortal.withProperties(Map.of(BrokenViewController.ENABLED, "true"));
        http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static HttpResponse<String> page(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + path)).timeout(CLIENT_TIMEOUT)
                .header("Accept", "text/html").GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTemplateThatThrowsGivesAPromptErrorPageWithTheSecurityHeaders() throws Exception {
        HttpResponse<String> response = page("/sso/test-views/broken");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains(SecurityHeadersFilter.CSP);
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body())
                .contains("Something went wrong on the server")
                .doesNotContain("Before the failure") // nothing of the half-rendered page leaks into the error page
                .doesNotContain("missing.property");  // nor the template's internals
    }

    @Test
    void thePortalKeepsServingPagesAfterARenderingFailure() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(page("/sso/test-views/broken").statusCode()).isEqualTo(500);
        }

        HttpResponse<String> working = page("/sso/test-views/working");

        assertThat(working.statusCode()).isEqualTo(200);
        assertThat(working.body()).contains("This page renders.");
        assertThat(page("/login").statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheErrorPageItselfCannotRenderAPlainBuiltInPageStandsIn() {
        ErrorResponder responder = new ErrorResponder(new ObjectMapper(), (view, type, body) -> {
            throw new ViewRenderingException("Error rendering Thymeleaf view [" + view + "]: broken on purpose");
        });
        io.micronaut.http.HttpRequest<?> request = io.micronaut.http.HttpRequest.GET("/tokens").accept(MediaType.TEXT_HTML_TYPE);

        MutableHttpResponse<Object> response = responder.processResponse(
                ErrorContext.builder(request).cause(new IllegalStateException("boom")).build(),
                io.micronaut.http.HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR));

        assertThat(response.code()).isEqualTo(500);
        assertThat(response.getContentType()).contains(MediaType.TEXT_HTML_TYPE);
        assertThat(response.body()).isInstanceOfSatisfying(String.class, html -> assertThat(html)
                .contains("<h1>Internal Server Error</h1>")
                .contains("Something went wrong on the server"));
    }
}
