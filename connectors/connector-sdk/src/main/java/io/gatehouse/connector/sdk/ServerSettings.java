package io.gatehouse.connector.sdk;

import java.time.Duration;
import java.util.Map;

/**
 * Settings every connector shares, given by the portal's connector runtime through the environment.
 *
 * @param token the bearer token the portal issued for this connector instance
 * @param host listen address
 * @param port listen port, 0 for a free one
 * @param sessionIdleTimeout an MCP session with no request for this long is closed
 */
record ServerSettings(BearerToken token, String host, int port, Duration sessionIdleTimeout) {

    static final String TOKEN = "GATEHOUSE_CONNECTOR_TOKEN";
    static final String HOST = "GATEHOUSE_CONNECTOR_HOST";
    static final String PORT = "GATEHOUSE_CONNECTOR_PORT";
    static final String SESSION_IDLE_SECONDS = "GATEHOUSE_CONNECTOR_SESSION_IDLE_SECONDS";

    /** Short tokens can be guessed; the portal issues 32 random bytes. */
    static final int MIN_TOKEN_LENGTH = 16;

    static ServerSettings fromEnvironment(Map<String, String> env) {
        String token = env.get(TOKEN);
        if (token == null || token.isBlank()) {
            throw new ConnectorStartupException(TOKEN + " is not set: the connector only serves MCP to the "
                    + "holder of the token the portal issues for it, so it refuses to start without one");
        }
        if (token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new ConnectorStartupException(TOKEN + " must be at least " + MIN_TOKEN_LENGTH
                    + " characters long; use a random value such as `openssl rand -hex 32`");
        }
        String host = env.getOrDefault(HOST, "0.0.0.0").strip();
        int port = (int) number(env, PORT, 8080, 0, 65535);
        long idleSeconds = number(env, SESSION_IDLE_SECONDS, 600, 1, 86_400);
        return new ServerSettings(new BearerToken(token.strip()), host.isEmpty() ? "0.0.0.0" : host, port,
                Duration.ofSeconds(idleSeconds));
    }

    private static long number(Map<String, String> env, String name, long defaultValue, long min, long max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConnectorStartupException(
                    name + " must be a whole number from " + min + " to " + max + ", not '" + raw + "'");
        }
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", sessionIdleTimeout=" + sessionIdleTimeout + "]";
    }
}
