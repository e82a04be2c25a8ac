package io.gatehouse.connector.sdk;

import static io.gatehouse.connector.sdk.TestConnectors.API_KEY;
import static io.gatehouse.connector.sdk.TestConnectors.TOKEN;
import static io.gatehouse.connector.sdk.TestConnectors.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A connector refuses to start, with a message that says what to fix, rather than run half-configured. */
class ConnectorStartupTest {

    private static final ConnectorSetup ECHO = context -> List.of(new EchoConnector(context.config()));

    @Test
    void refusesToStartWithoutAToken() {
        Map<String, String> env = environment();
        env.remove(ServerSettings.TOKEN);

        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO, env))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageStartingWith("GATEHOUSE_CONNECTOR_TOKEN is not set");
    }

    @Test
    void refusesAShortToken() {
        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO,
                environment(ServerSettings.TOKEN, "short")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining("short");
    }

    @Test
    void refusesWhenARequiredConfigFieldIsMissing() {
        Map<String, String> env = environment();
        env.remove("ECHO_API_KEY");

        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO, env))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("Configuration is incomplete: ECHO_API_KEY is required (Pretend API key)");
    }

    @Test
    void refusesAConfigValueOfTheWrongType() {
        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO,
                environment("ECHO_REPEAT_LIMIT", "lots")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("Configuration is incomplete: ECHO_REPEAT_LIMIT must be a whole number, not 'lots'");
    }

    @Test
    void refusesABadPort() {
        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO,
                environment(ServerSettings.PORT, "99999")))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("GATEHOUSE_CONNECTOR_PORT must be a whole number from 0 to 65535, not '99999'");
    }

    @Test
    void aPortInUseIsAClearStartupError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), ECHO,
                    environment(ServerSettings.PORT, String.valueOf(taken.getLocalPort()))))
                    .isInstanceOf(ConnectorStartupException.class)
                    .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void secretConfigValuesNeverShowInTheConfigsText() {
        ConnectorConfig config = ConnectorConfig.fromEnvironment(ConnectorManifest.load().config(), environment());

        assertThat(config.toString())
                .isEqualTo("ConnectorConfig[prefix=> , api_key=(secret), repeat_limit=3]")
                .doesNotContain(API_KEY);
        assertThat(config.requiredString("api_key")).isEqualTo(API_KEY);
        assertThat(config.envName("api_key")).isEqualTo("ECHO_API_KEY");
    }

    @Test
    void refusesToolsThatDoNotMatchTheManifest() {
        // given a manifest that lacks erase_note, marks refuse as destructive and lists a tool nobody declares
        ConnectorManifest manifest = manifest("""
                {"id": "echo", "version": "1", "description": "d",
                 "tools": [
                   {"name": "echo", "readOnly": true, "destructive": false},
                   {"name": "wait_for_release", "readOnly": true, "destructive": false},
                   {"name": "refuse", "readOnly": false, "destructive": true},
                   {"name": "crash", "readOnly": true, "destructive": false},
                   {"name": "summon", "readOnly": true, "destructive": false}
                 ],
                 "config": [
                   {"name": "prefix", "env": "ECHO_PREFIX", "type": "string", "secret": false, "required": false,
                    "description": "p", "default": ""},
                   {"name": "repeat_limit", "env": "ECHO_REPEAT_LIMIT", "type": "integer", "secret": false,
                    "required": false, "description": "r", "default": "3"}
                 ],
                 "egress": []}""");

        // then
        assertThatThrownBy(() -> Connector.start(manifest, ECHO, environment()))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("Connector echo does not match its connector.json: "
                        + "tool refuse: connector.json says readOnly=false, destructive=true but the code declares "
                        + "readOnly=true, destructive=false; "
                        + "tool erase_note is declared in code but missing from connector.json; "
                        + "tool summon is in connector.json but no tool group declares it");
    }

    @Test
    void refusesAnInputSchemaThatIsNotAJsonSchema() {
        ConnectorManifest manifest = manifest("""
                {"id": "bad", "version": "1", "description": "d",
                 "tools": [{"name": "bad", "readOnly": true, "destructive": false}]}""");
        ConnectorSetup badSchema = context -> List.of(() -> List.of(Tool.named("bad")
                .description("Declares a schema whose type is a number.")
                .effect(ToolEffect.READ_ONLY)
                .inputSchema("{\"type\": 5}")
                .handler(EchoConnector.NoArguments.class, arguments -> ToolResult.text("never"))));
        ConnectorSetup notJson = context -> List.of(() -> List.of(Tool.named("bad")
                .description("Declares a schema that is not JSON.")
                .effect(ToolEffect.READ_ONLY)
                .inputSchema("{type: object")
                .handler(EchoConnector.NoArguments.class, arguments -> ToolResult.text("never"))));

        assertThatThrownBy(() -> Connector.start(manifest, badSchema, environment()))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageStartingWith("The MCP server refused the tool declarations");
        assertThatThrownBy(() -> Connector.start(manifest, notJson, environment()))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageStartingWith("The input schema of tool bad is not valid JSON");
    }

    @Test
    void refusesAManifestThatContradictsItself() {
        assertThatThrownBy(() -> manifest("""
                {"id": "Echo!", "version": "1", "description": "d",
                 "tools": [{"name": "x", "readOnly": true, "destructive": true}],
                 "config": [{"name": "k", "env": "K", "type": "string", "secret": true, "required": true,
                             "description": "k", "default": "v"}],
                 "egress": []}"""))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageContaining("id must be lower-case")
                .hasMessageContaining("tool x cannot be both readOnly and destructive")
                .hasMessageContaining("config field k is required, so it cannot have a default")
                .hasMessageContaining("config field k is secret, so it cannot have a default");
    }

    @Test
    void refusesAManifestWithUnknownFields() {
        assertThatThrownBy(() -> manifest("""
                {"id": "echo", "version": "1", "description": "d", "tols": []}"""))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessageStartingWith("connector.json is not valid: Unrecognized field \"tols\"");
    }

    @Test
    void manifestDeclaresToolsConfigAndEgress() {
        ConnectorManifest manifest = ConnectorManifest.load();

        assertThat(manifest.id()).isEqualTo("echo");
        assertThat(manifest.tools()).contains(new ConnectorManifest.ToolEntry("erase_note", false, true));
        assertThat(manifest.config()).extracting(ConnectorManifest.ConfigField::env)
                .containsExactly("ECHO_PREFIX", "ECHO_API_KEY", "ECHO_REPEAT_LIMIT");
        assertThat(manifest.egress()).containsExactly("api.echo.example");
    }

    @Test
    void setupFailureClosesWhatTheSetupOpened() {
        AtomicBoolean closed = new AtomicBoolean();

        assertThatThrownBy(() -> Connector.start(ConnectorManifest.load(), context -> {
            context.closeOnStop(() -> closed.set(true));
            throw new IllegalStateException("database driver missing");
        }, environment()))
                .isInstanceOf(ConnectorStartupException.class)
                .hasMessage("Connector setup failed: database driver missing");
        assertThat(closed).isTrue();
    }

    @Test
    void stoppingTheConnectorClosesItsResources() {
        AtomicBoolean closed = new AtomicBoolean();
        ConnectorServer server = Connector.start(ConnectorManifest.load(), context -> {
            context.closeOnStop(() -> closed.set(true));
            return List.of(new EchoConnector(context.config()));
        }, environment());

        server.close();

        assertThat(closed).isTrue();
    }

    @Test
    void readyLineCarriesTheActualPort() {
        ConnectorServer server = Connector.start(ConnectorManifest.load(), ECHO, environment());
        try {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();

            Connector.announce(server, new PrintStream(stdout, true, StandardCharsets.UTF_8));

            assertThat(server.port()).isPositive();
            assertThat(stdout.toString(StandardCharsets.UTF_8))
                    .isEqualTo("GATEHOUSE_CONNECTOR_LISTENING port=" + server.port() + System.lineSeparator());
        } finally {
            server.close();
        }
    }

    @Test
    void tokenIsComparedExactly() {
        BearerToken token = new BearerToken(TOKEN);

        assertThat(token.matches("Bearer " + TOKEN)).isTrue();
        assertThat(token.matches("bearer " + TOKEN)).isTrue();
        assertThat(token.matches("Bearer  " + TOKEN + " ")).isTrue();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches("Bearer")).isFalse();
        assertThat(token.matches("Bearer " + TOKEN.toUpperCase())).isFalse();
        assertThat(token.matches("Bearer " + TOKEN + "0")).isFalse();
        assertThat(token.matches("Token " + TOKEN)).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    private static ConnectorManifest manifest(String json) {
        return ConnectorManifest.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
