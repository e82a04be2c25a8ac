package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import com.sun.net.httpserver.HttpServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker runtime against a real engine and the real SQL connector image: what `docker inspect` shows is
 * exactly the hardening we ask for, the connector answers only with its token, and it cannot reach another
 * connector or anything outside its network. A missing engine or image fails these tests; it never skips them.
 */
class DockerConnectorRuntimeTest {

    static final String OWNER = "gatehouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    static DockerConnectorRuntime runtime;
    static DockerClient docker;
    static RunningConnector first;
    static RunningConnector second;

    @BeforeAll
    static void start() {
        runtime = new DockerConnectorRuntime(
                new DockerSettings("unix:///var/run/docker.sock", "gatehouse/connector-", "0.1.0", 256, 0.5, 128, OWNER, null),
                new ConnectorSettings("docker", Path.of("."), Duration.ofSeconds(40), Duration.ofSeconds(10)));
        docker = runtime.client();
        first = runtime.start(launch("first"));
        second = runtime.start(launch("second"));
    }

    static ConnectorLaunch launch(String name) {
        return new ConnectorLaunch(UUID.randomUUID(), name, "sql",
                Map.of("SQL_URL", "jdbc:postgresql://db.invalid:5432/none", "SQL_PASSWORD", "db-secret-" + name),
                "token-" + name + "-" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() throws Exception {
        if (first != null) {
            runtime.stop(first);
        }
        if (second != null) {
            runtime.stop(second);
        }
        runtime.close();
    }

    private static String containerId(RunningConnector running) {
        return docker.inspectContainerCmd("gatehouse-conn-" + running.name() + "-" + running.connectorId().toString().substring(0, 8))
                .exec().getId();
    }

    @Test
    void theContainerRunsWithExactlyTheHardeningWeAskFor() {
        InspectContainerResponse inspect = docker.inspectContainerCmd(containerId(first)).exec();
        var host = inspect.getHostConfig();

        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getCapDrop()).extracting(Enum::name).containsExactly("ALL");
        assertThat(host.getCapAdd()).isNullOrEmpty();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges:true");
        assertThat(host.getPrivileged()).isFalse();
        assertThat(inspect.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(host.getPortBindings() == null || host.getPortBindings().getBindings().isEmpty()).isTrue();
        assertThat(host.getPublishAllPorts()).isFalse();
        assertThat(host.getMemory()).isEqualTo(256L * 1024 * 1024);
        assertThat(host.getMemorySwap()).isEqualTo(256L * 1024 * 1024);
        assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(host.getPidsLimit()).isEqualTo(128L);
        assertThat(host.getTmpFs()).containsEntry("/tmp", ContainerHardening.TMPFS_OPTIONS);
        assertThat(inspect.getConfig().getLabels()).containsEntry(DockerConnectorRuntime.LABEL_OWNER, OWNER)
                .containsEntry(DockerConnectorRuntime.LABEL_CONNECTOR, "first").containsEntry(DockerConnectorRuntime.LABEL_KIND, "sql");
        assertThat(inspect.getConfig().getLabels().values()).noneMatch(v -> v.contains("secret") || v.contains("token"));
        assertThat(inspect.getNetworkSettings().getNetworks()).hasSize(1);
        String networkName = inspect.getNetworkSettings().getNetworks().keySet().iterator().next();
        Network network = docker.inspectNetworkCmd().withNetworkId(networkName).exec();
        assertThat(network.getInternal()).isTrue();
        assertThat(network.getOptions()).hasEntrySatisfying("com.docker.network.bridge.name", name -> assertThat(name).startsWith("ghc-"));
        assertThat(network.getLabels()).containsEntry(DockerConnectorRuntime.LABEL_OWNER, OWNER);
    }

    @Test
    void theConnectorAnswersMcpOnlyWithItsOwnToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(first.mcpEndpoint()).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(initialize)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherConnectorsToken = http.send(HttpRequest.newBuilder(first.mcpEndpoint())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + second.token()).POST(HttpRequest.BodyPublishers.ofString(initialize)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(otherConnectorsToken.statusCode()).isEqualTo(401);
        try (McpConnection mcp = McpConnection.open(first, new ObjectMapper(), Duration.ofSeconds(10))) {
            assertThat(mcp.listTools()).extracting(t -> t.name()).contains("run_query", "execute_statement");
        }
    }

    @Test
    void aConnectorCannotReachAnotherConnectorOrAnythingOutsideItsNetwork() throws Exception {
        String secondAddress = second.mcpEndpoint().getHost();
        HttpServer outside = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 10);
        outside.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        outside.start();
        try {
            String hostAddress = hostAddress();
            int port = outside.getAddress().getPort();
            // The probe itself works: the connector reaches its own port.
            assertThat(canConnect(first, "127.0.0.1", DockerConnectorRuntime.CONNECTOR_PORT)).isTrue();
            // This very test process reaches the listener on the host address, so only the network stops the container.
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + hostAddress + ":" + port + "/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);

            assertThat(canConnect(first, secondAddress, DockerConnectorRuntime.CONNECTOR_PORT)).isFalse();
            assertThat(canConnect(first, hostAddress, port)).isFalse();
        } finally {
            outside.stop(0);
        }
    }

    @Test
    void stoppingRemovesTheContainerAndItsNetwork() {
        RunningConnector third = runtime.start(launch("third"));
        String id = containerId(third);

        runtime.stop(third);

        assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec()).isEmpty();
        try {
            docker.inspectNetworkCmd().withNetworkId("gatehouse-conn-third-" + third.connectorId().toString().substring(0, 8)).exec();
            throw new AssertionError("the network is still there");
        } catch (NotFoundException expected) {
            // removed
        }
    }

    /** Opens a TCP connection from inside the connector container with bash's /dev/tcp; true if it connected. */
    private static boolean canConnect(RunningConnector from, String address, int port) throws Exception {
        ExecCreateCmdResponse exec = docker.execCreateCmd(containerId(from))
                .withCmd("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port)
                .withAttachStdout(true).withAttachStderr(true).exec();
        docker.execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>()).awaitCompletion(10, TimeUnit.SECONDS);
        Long exit = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        return exit != null && exit == 0;
    }

    /** An address of this machine outside Docker's bridges (its own interface), where the test can listen. */
    private static String hostAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback() || nic.getName().startsWith("docker") || nic.getName().startsWith("br-")
                    || nic.getName().startsWith("veth")) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("This machine has no non-loopback IPv4 interface to test egress against");
    }
}
