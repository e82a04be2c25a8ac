package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.gatehouse.demo.DemoDatabase;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same chat as SqlConnectorChatTest with the SQL connector as a hardened container: the database sits on
 * a Docker "data" network the connector joins (the admin's choice), the connector's own network stays internal.
 * Killing the container mid-conversation gives a clear message and the supervisor starts a new one.
 */
class DockerSqlChatTest {

    static final String OWNER = "gatehouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    static final String DATA_NETWORK = "gatehouse-test-data-" + UUID.randomUUID().toString().substring(0, 8);

    static DockerClient docker;
    static Path dir;
    static EmbeddedPostgres database;
    static DemoDatabase.Access demo;
    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() throws Exception {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").build();
        docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
        docker.createNetworkCmd().withName(DATA_NETWORK).withDriver("bridge").withInternal(true).exec();
        Network network = docker.inspectNetworkCmd().withNetworkId(DATA_NETWORK).exec();
        String gateway = network.getIpam().getConfig().getFirst().getGateway();
        String subnet = network.getIpam().getConfig().getFirst().getSubnet();

        // A real PostgreSQL reachable only on loopback and on the data network's gateway address.
        dir = Files.createTempDirectory("gatehouse-docker-sql");
        database = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("cluster")).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1," + gateway).start();
        Files.writeString(dir.resolve("cluster").resolve("pg_hba.conf"), "host all all " + subnet + " scram-sha-256\n",
                StandardOpenOption.APPEND);
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + database.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "")) {
            c.createStatement().execute("select pg_reload_conf()");
        }
        demo = DemoDatabase.ensure(adminUrl, "jdbc:postgresql://127.0.0.1:" + database.getPort() + "/" + DemoDatabase.DATABASE,
                "postgres", new SecureRandom());

        model = ScriptedModelServer.start();
        portal = TestPortal.start(Map.of("GATEHOUSE_CONNECTOR_RUNTIME", "docker", "GATEHOUSE_DOCKER_OWNER", OWNER));
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        Map<String, Object> form = new HashMap<>();
        form.put("name", "demo");
        form.put("kind", "sql");
        form.put("networks", List.of(DATA_NETWORK));
        form.put("config", Map.of("SQL_URL", "jdbc:postgresql://" + gateway + ":" + database.getPort() + "/" + DemoDatabase.DATABASE,
                "SQL_USER", demo.user(), "SQL_PASSWORD", demo.password()));
        var created = admin.postJson("/api/v1/admin/connectors", form);
        if (created.statusCode() != 201 || !created.body().contains("\"RUNNING\"")) {
            throw new IllegalStateException("connector not running: " + created.body());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (model != null) {
            model.close();
        }
        if (database != null) {
            database.close();
            io.gatehouse.testing.SharedPostgres.deleteRecursively(dir);
        }
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerConnectorRuntime.LABEL_OWNER, OWNER)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
        docker.removeNetworkCmd(DATA_NETWORK).exec();
        docker.close();
    }

    private static String containerId() {
        var containers = docker.listContainersCmd().withLabelFilter(Map.of(DockerConnectorRuntime.LABEL_OWNER, OWNER,
                DockerConnectorRuntime.LABEL_CONNECTOR, "demo")).exec();
        assertThat(containers).hasSize(1);
        return containers.getFirst().getId();
    }

    @Test
    void aQuestionIsAnsweredFromRealRowsThroughTheContainer() throws Exception {
        List<String> expected = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(demo.jdbcUrl(), demo.user(), demo.password());
             var rs = c.createStatement().executeQuery(SqlConnectorChatTest.TOP_FIVE)) {
            while (rs.next()) {
                expected.add(rs.getString(1));
            }
        }
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"" + SqlConnectorChatTest.TOP_FIVE + "\"}"),
                ScriptedModelServer.text("Here they are."));
        int before = model.requests().size();

        var result = admin.postForEvents("/api/v1/chat/messages",
                Map.of("message", "Which 5 customers had the highest invoice totals last quarter?", "model", "tool-model"));

        JsonNode step = result.named("tool").getFirst().json();
        assertThat(step.path("error").asBoolean()).as(step.toString()).isFalse();
        assertThat(step.path("rows").asInt()).isEqualTo(5);
        JsonNode messages = model.requests().get(before + 1).path("messages");
        String toolResult = messages.get(messages.size() - 1).path("content").asText();
        assertThat(expected).hasSize(5).allSatisfy(name -> assertThat(toolResult).contains(name));
    }

    @Test
    void aBringYourOwnMcpServerRunsHardenedAndPinnedButItsToolsAreNotOffered() {
        Map<String, Object> form = new HashMap<>();
        form.put("name", "thirdparty");
        form.put("image", "gatehouse/connector-sql:0.1.0");
        form.put("port", 8080);
        form.put("path", "/mcp");
        form.put("config", Map.of("SQL_URL", "jdbc:postgresql://db.invalid:5432/none", "SQL_PASSWORD", "byo-secret-value"));
        form.put("secretKeys", List.of("SQL_PASSWORD"));

        var created = admin.postJson("/api/v1/admin/mcp-servers", form);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("byo-secret-value");
        JsonNode view = WebSession.parse(created.body());
        assertThat(view.path("state").asText()).isEqualTo("RUNNING");
        assertThat(view.path("imageId").asText()).startsWith("sha256:");
        assertThat(view.path("secretsSet").toString()).contains("SQL_PASSWORD");
        assertThat(view.path("tools")).isNotEmpty().allSatisfy(t -> assertThat(t.path("offered").asBoolean()).isFalse());
        var containers = docker.listContainersCmd().withLabelFilter(Map.of(DockerConnectorRuntime.LABEL_OWNER, OWNER,
                DockerConnectorRuntime.LABEL_CONNECTOR, "thirdparty")).exec();
        assertThat(containers).hasSize(1);
        var inspect = docker.inspectContainerCmd(containers.getFirst().getId()).exec();
        assertThat(inspect.getImageId()).isEqualTo(view.path("imageId").asText());
        assertThat(inspect.getHostConfig().getReadonlyRootfs()).isTrue();
        assertThat(inspect.getHostConfig().getCapDrop()).extracting(Enum::name).containsExactly("ALL");
        assertThat(inspect.getConfig().getUser()).isEqualTo("10001:10001");

        model.enqueue(new ScriptedModelServer.ToolCall("thirdparty__run_query", "{\"sql\":\"select 1\"}"), ScriptedModelServer.text("No."));
        int before = model.requests().size();
        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Use the third-party server", "model", "tool-model"));
        assertThat(model.requests().get(before).path("tools").toString()).doesNotContain("thirdparty__");
        assertThat(result.named("tool").getFirst().json().path("error").asBoolean()).isTrue();

        assertThat(admin.delete("/api/v1/admin/connectors/" + view.path("id").asText()).statusCode()).isEqualTo(204);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerConnectorRuntime.LABEL_OWNER, OWNER,
                DockerConnectorRuntime.LABEL_CONNECTOR, "thirdparty")).exec()).isEmpty();
    }

    @Test
    void aKilledContainerGivesAClearMessageAndTheSupervisorStartsANewOne() {
        String killed = containerId();
        docker.killContainerCmd(killed).exec();
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) from customers\"}"),
                ScriptedModelServer.text("The database is unavailable right now."));

        var result = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "How many customers?", "model", "tool-model"));

        assertThat(result.named("tool").getFirst().json().path("error").asBoolean()).isTrue();
        assertThat(result.named("done")).hasSize(1);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            var running = docker.listContainersCmd().withLabelFilter(Map.of(DockerConnectorRuntime.LABEL_OWNER, OWNER,
                    DockerConnectorRuntime.LABEL_CONNECTOR, "demo")).exec();
            assertThat(running).hasSize(1);
            assertThat(running.getFirst().getId()).isNotEqualTo(killed);
            assertThat(portal.bean(ConnectorSupervisor.class).byName("demo").orElseThrow().state())
                    .isEqualTo(ConnectorSupervisor.State.RUNNING);
        });
        model.enqueue(new ScriptedModelServer.ToolCall("demo__run_query", "{\"sql\":\"select count(*) as n from customers\"}"),
                ScriptedModelServer.text("450."));
        var again = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "And now?", "model", "tool-model"));
        assertThat(again.named("tool").getFirst().json().path("error").asBoolean()).isFalse();
    }
}
