package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A whole session of use (sign-in, provider with a key, token, chat, failures) leaves no secret in the log. */
class LogSecretsTest {

    @Test
    void passwordsKeysTokensAndCookiesNeverReachTheLog() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        String apiKey = "sk-upstream-SECRET-0123456789";
        String wrongPassword = "wrong-password-SECRET-42";
        List<String> secrets = new ArrayList<>(List.of(TestPortal.ADMIN_PASSWORD, apiKey, wrongPassword));
        try (ScriptedModelServer model = ScriptedModelServer.start(); TestPortal portal = TestPortal.start()) {
            model.requireApiKey(apiKey);
            portal.browser().postJson("/api/v1/auth/login", Map.of("email", TestPortal.ADMIN_EMAIL, "password", wrongPassword));
            WebSession admin = portal.admin();
            secrets.add(admin.cookies().getCookieStore().getCookies().getFirst().getValue());
            portal.addProvider(admin, "Scripted", model.baseUrl(), apiKey, "scripted-model");
            portal.addProvider(admin, "Wrong", model.baseUrl(), apiKey + "-WRONG", "wrong-model");
            String token = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "log test")).body()).path("token").asText();
            secrets.add(token);
            admin.postForEvents("/api/v1/chat/messages", Map.of("message", "hello", "model", "scripted-model"));
            admin.postForEvents("/api/v1/chat/messages", Map.of("message", "hello", "model", "wrong-model"));
            portal.browser().postJson("/v1/chat/completions", Map.of("model", "wrong-model",
                    "messages", List.of(Map.of("role", "user", "content", "x"))), "Authorization", "Bearer " + token);
            portal.browser().get("/v1/models", "Authorization", "Bearer " + token + "x");
        } finally {
            root.detachAppender(captured);
        }

        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
            for (String secret : secrets) {
                assertThat(text).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    private static String throwableText(IThrowableProxy proxy) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
            text.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
        }
        return text.toString();
    }
}
