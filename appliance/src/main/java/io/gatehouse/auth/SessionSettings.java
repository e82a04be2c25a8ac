package io.gatehouse.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Session lifetime: idle timeout (GATEHOUSE_SESSION_IDLE_TIMEOUT, default 30m), absolute lifetime
 * (GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT, default 24h) and the cookie's Secure flag
 * (GATEHOUSE_COOKIE_SECURE: auto = when the request arrived over TLS, always, never).
 */
@ConfigurationProperties("gatehouse.session")
public record SessionSettings(Duration idleTimeout, Duration absoluteTimeout, CookieSecure cookieSecure) {

    public enum CookieSecure { AUTO, ALWAYS, NEVER }
}
