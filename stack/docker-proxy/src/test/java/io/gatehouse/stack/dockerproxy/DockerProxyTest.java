package io.gatehouse.stack.dockerproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real engine: the connector runtime's exact sequence goes through; every other call is refused with a
 * Docker-shaped 403 naming why, and the engine then holds nothing the refused call would have made.
 */
class DockerProxyTest {

    private static final String IMAGE = "gatehouse/base-jre:25";
    private static final String OWNER = "t-stack-owner";

    private final String id = HexFormat.of().formatHex(ByteBuffer8.random());
    private final String network = "gatehouse-conn-t-stack-" + id;
    private final String container = "gatehouse-conn-t-stack-" + id;
    private final String portal = "t-stack-portal-" + id;
    private final String stranger = "t-stack-stranger-" + id;
    private final Map<String, String> labels = Map.of("io.gatehouse.owner", OWNER, "io.gatehouse.connector", "t-stack");

    private DockerClient raw;
    private DockerProxy proxy;
    private DockerClient viaProxy;

    @BeforeEach
    void start() throws Exception {
        raw = client(URI.create("unix:///var/run/docker.sock"));
        try {
            raw.pingCmd().exec();
        } catch (RuntimeException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("No Docker engine answers on /var/run/docker.sock, and CI=true", e);
            }
            Assumptions.abort("no Docker engine: " + e.getMessage());
        }
        proxy = DockerProxy.start(ProxySettings.from(Map.of("DOCKER_PROXY_BIND", "127.0.0.1", "DOCKER_PROXY_PORT", "0",
                "DOCKER_PROXY_OWNER", OWNER, "DOCKER_PROXY_PORTAL_CONTAINER", portal)));
        viaProxy = client(URI.create("tcp://127.0.0.1:" + proxy.address().getPort()));
        // Stand-ins, made directly on the engine: the portal's container and someone else's container (no owner label).
        for (String name : List.of(portal, stranger)) {
            raw.createContainerCmd(IMAGE).withName(name).withCmd("sleep", "300").exec();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (raw != null) {
            for (String name : List.of(container, portal, stranger, "t-stack-refused-" + id)) {
                try {
                    raw.removeContainerCmd(name).withForce(true).exec();
                } catch (NotFoundException ignored) {
                    // not made
                }
            }
            for (String name : List.of(network, "t-stack-refused-" + id)) {
                try {
                    raw.removeNetworkCmd(name).exec();
                } catch (NotFoundException ignored) {
                    // not made
                }
            }
            raw.close();
        }
        if (viaProxy != null) {
            viaProxy.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theConnectorRuntimesSequenceGoesThrough() throws Exception {
        viaProxy.pingCmd().exec();
        assertThat(viaProxy.versionCmd().exec().getApiVersion()).isNotBlank();
        assertThat(viaProxy.inspectImageCmd(IMAGE).exec().getId()).startsWith("sha256:");

        // removeLeftovers: nothing there yet, the 404s pass through
        assertThatThrownBy(() -> viaProxy.removeContainerCmd(container).withForce(true).exec()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> viaProxy.removeNetworkCmd(network).exec()).isInstanceOf(NotFoundException.class);

        viaProxy.createNetworkCmd().withName(network).withDriver("bridge").withInternal(true).withLabels(labels)
                .withOptions(Map.of("com.docker.network.bridge.name", "ghc-" + id.substring(0, 8))).exec();
        viaProxy.connectToNetworkCmd().withNetworkId(network).withContainerId(portal).exec();
        CreateContainerResponse created = hardened(viaProxy.createContainerCmd(IMAGE)).exec();
        viaProxy.startContainerCmd(created.getId()).exec();
        InspectContainerResponse inspect = viaProxy.inspectContainerCmd(created.getId()).exec();
        assertThat(inspect.getNetworkSettings().getNetworks().get(network).getIpAddress()).isNotBlank();
        assertThat(inspect.getHostConfig().getReadonlyRootfs()).isTrue();

        List<String> lines = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (lines.stream().noneMatch(l -> l.contains("hello from the connector")) && Instant.now().isBefore(deadline)) {
            lines.clear();
            viaProxy.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true).withTail(200)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            lines.add(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        }
        assertThat(lines).anyMatch(l -> l.contains("hello from the connector"));

        viaProxy.removeContainerCmd(created.getId()).withForce(true).withRemoveVolumes(true).exec();
        viaProxy.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(portal).withForce(true).exec();
        viaProxy.removeNetworkCmd(network).exec();
        assertThat(raw.listContainersCmd().withShowAll(true).withNameFilter(List.of(container)).exec()).isEmpty();
        assertThat(raw.listNetworksCmd().withNameFilter(network).exec()).isEmpty();
        // the runtime's "already gone" paths
        assertThatThrownBy(() -> viaProxy.inspectContainerCmd(created.getId()).exec()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void unsafeContainersAreRefusedAndNotCreated() {
        makeNetwork();
        refusedCreate(c -> c.getHostConfig().withPrivileged(true), "HostConfig.Privileged must be false");
        refusedCreate(c -> c.getHostConfig().withBinds(new Bind("/", new Volume("/host"))), "HostConfig.Binds is not allowed");
        refusedCreate(c -> c.getHostConfig().withCapAdd(Capability.NET_ADMIN), "HostConfig.CapAdd must be empty");
        refusedCreate(c -> c.getHostConfig().withNetworkMode("host"), "HostConfig.NetworkMode must be a gatehouse-conn- network");
        refusedCreate(c -> c.getHostConfig().withPidMode("host"), "HostConfig.PidMode must not be set");
        refusedCreate(c -> c.getHostConfig().withReadonlyRootfs(false), "HostConfig.ReadonlyRootfs must be true");
        refusedCreate(c -> c.withUser("0:0"), "User must be a numeric non-root uid[:gid]");
        refusedCreate(c -> c.withLabels(Map.of("io.gatehouse.connector", "t-stack")), "must carry the label io.gatehouse.owner=" + OWNER);
        refusedCreate(c -> c.withName("t-stack-refused-" + id), "name must start with gatehouse-conn-");
        assertThat(raw.listContainersCmd().withShowAll(true).withNameFilter(List.of(container, "t-stack-refused-" + id)).exec()).isEmpty();
    }

    @Test
    void unsafeNetworksAreRefusedAndNotCreated() {
        assertRefused(() -> viaProxy.createNetworkCmd().withName(network).withInternal(false).withLabels(labels).exec(),
                "must be Internal");
        assertRefused(() -> viaProxy.createNetworkCmd().withName(network).withInternal(true).withLabels(Map.of()).exec(),
                "must carry the label io.gatehouse.owner=" + OWNER);
        assertRefused(() -> viaProxy.createNetworkCmd().withName("t-stack-refused-" + id).withInternal(true).withLabels(labels).exec(),
                "name must start with gatehouse-conn-");
        assertThat(raw.listNetworksCmd().withNameFilter(network).exec()).isEmpty();
        assertThat(raw.listNetworksCmd().withNameFilter("t-stack-refused-" + id).exec()).isEmpty();
    }

    @Test
    void everythingElseIsRefused() {
        makeNetwork();
        String own = hardened(viaProxy.createContainerCmd(IMAGE)).exec().getId();
        assertRefused(() -> viaProxy.execCreateCmd(own).withCmd("id").exec(), "/containers/" + own + "/exec is not an allowed call");
        assertRefused(() -> viaProxy.pullImageCmd("t-stack-nothing/pulled").withTag("1").start().awaitCompletion(10, TimeUnit.SECONDS),
                "/images/create is not an allowed call");
        assertRefused(() -> viaProxy.createVolumeCmd().withName("t-stack-volume-" + id).exec(), "/volumes/create is not an allowed call");
        assertRefused(() -> viaProxy.listContainersCmd().exec(), "/containers/json is not an allowed call");
        // someone else's container: not started, not removed, not even inspected
        assertRefused(() -> viaProxy.startContainerCmd(stranger).exec(), "cannot start container " + stranger);
        assertRefused(() -> viaProxy.removeContainerCmd(stranger).withForce(true).exec(), "cannot delete container " + stranger);
        assertRefused(() -> viaProxy.inspectContainerCmd(stranger).exec(), "cannot read json of container " + stranger);
        assertRefused(() -> viaProxy.connectToNetworkCmd().withNetworkId(network).withContainerId(stranger).exec(),
                "only the portal and containers labelled");
        assertRefused(() -> viaProxy.connectToNetworkCmd().withNetworkId("bridge").withContainerId(own).exec(),
                "cannot connect network bridge");
        assertRefused(() -> viaProxy.removeNetworkCmd("bridge").exec(), "cannot delete network bridge");

        assertThat(raw.inspectContainerCmd(stranger).exec().getState().getStatus()).isEqualTo("created");
        assertThat(raw.inspectContainerCmd(own).exec().getExecIds()).isNullOrEmpty();
        assertThat(raw.listVolumesCmd().exec().getVolumes()).noneMatch(v -> v.getName().equals("t-stack-volume-" + id));
        assertThat(raw.listImagesCmd().withReferenceFilter("t-stack-nothing/pulled").exec()).isEmpty();
        assertThat(raw.inspectContainerCmd(own).exec().getNetworkSettings().getNetworks()).containsOnlyKeys(network);
    }

    @Test
    void aConnectorMayJoinAConfiguredDataNetworkButNothingElseMay() throws Exception {
        makeNetwork();
        String data = "t-stack-refused-" + id; // not owner-labelled, like a customer's database network
        raw.createNetworkCmd().withName(data).withDriver("bridge").withInternal(true).exec();
        String own = hardened(viaProxy.createContainerCmd(IMAGE)).exec().getId();
        assertRefused(() -> viaProxy.connectToNetworkCmd().withNetworkId(data).withContainerId(own).exec(), "DOCKER_PROXY_DATA_NETWORKS");
        try (DockerProxy withData = DockerProxy.start(ProxySettings.from(Map.of("DOCKER_PROXY_BIND", "127.0.0.1", "DOCKER_PROXY_PORT", "0",
                "DOCKER_PROXY_OWNER", OWNER, "DOCKER_PROXY_PORTAL_CONTAINER", portal, "DOCKER_PROXY_DATA_NETWORKS", data)));
             DockerClient client = client(URI.create("tcp://127.0.0.1:" + withData.address().getPort()))) {
            assertRefused(() -> client.connectToNetworkCmd().withNetworkId(data).withContainerId(stranger).exec(), "DOCKER_PROXY_DATA_NETWORKS");
            assertRefused(() -> client.removeNetworkCmd(data).exec(), "cannot delete network " + data);
            client.connectToNetworkCmd().withNetworkId(data).withContainerId(own).exec();
        }
        assertThat(raw.inspectContainerCmd(own).exec().getNetworkSettings().getNetworks()).containsOnlyKeys(network, data);
        raw.removeContainerCmd(own).withForce(true).exec();
    }

    @Test
    void theVersionPrefixIsStrippedAndRefusalsAreDockerShaped() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + proxy.address().getPort();
        HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.41/_ping")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/_ping")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.41/info")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(403);
        assertThat(info.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(info.body()).isEqualTo("{\"message\":\"gatehouse docker-proxy: GET /info is not an allowed call (the proxy allows only what the connector runtime needs)\"}");
        HttpResponse<String> sneaky = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.41/containers/x/../../build"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sneaky.statusCode()).isEqualTo(403);
        assertThat(sneaky.body()).contains("'..'");
        // Before API 1.24 an engine (older than 25) applied a HostConfig sent with start: neither reaches it.
        HttpResponse<String> old = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.23/containers/" + container + "/start"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(old.body()).contains("Docker API version 1.23 is not allowed");
        makeNetwork();
        String own = hardened(viaProxy.createContainerCmd(IMAGE)).exec().getId();
        HttpResponse<String> startWithConfig = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.41/containers/" + own + "/start"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Privileged\":true,\"Binds\":[\"/:/host\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(startWithConfig.statusCode()).isEqualTo(403);
        assertThat(startWithConfig.body()).contains("takes no request body");
        assertThat(raw.inspectContainerCmd(own).exec().getState().getRunning()).isFalse();
    }

    private void makeNetwork() {
        raw.createNetworkCmd().withName(network).withDriver("bridge").withInternal(true).withLabels(labels).exec();
    }

    private CreateContainerCmd hardened(CreateContainerCmd cmd) {
        // The same configuration as the portal's connector.ContainerHardening (package-private there).
        long memory = 256L * 1024 * 1024;
        return cmd.withName(container).withUser("10001:10001").withLabels(labels)
                .withEnv("GATEHOUSE_CONNECTOR_HOST=0.0.0.0", "GATEHOUSE_CONNECTOR_PORT=8080")
                .withCmd("sh", "-c", "echo hello from the connector; sleep 300")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withReadonlyRootfs(true)
                        .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=64m")).withCapDrop(Capability.ALL)
                        .withSecurityOpts(List.of("no-new-privileges:true")).withMemory(memory).withMemorySwap(memory)
                        .withNanoCPUs(500_000_000L).withPidsLimit(128L).withPrivileged(false).withPublishAllPorts(false).withInit(true));
    }

    private void refusedCreate(Consumer<CreateContainerCmd> change, String why) {
        CreateContainerCmd cmd = hardened(viaProxy.createContainerCmd(IMAGE));
        change.accept(cmd);
        assertRefused(cmd::exec, why);
    }

    private static void assertRefused(ThrowingCall call, String why) {
        assertThatThrownBy(call::run).isInstanceOf(DockerException.class)
                .satisfies(e -> assertThat(((DockerException) e).getHttpStatus()).isEqualTo(403))
                .hasMessageContaining("gatehouse docker-proxy: ").hasMessageContaining(why);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static DockerClient client(URI host) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString()).build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build());
    }

    private static final class ByteBuffer8 {
        static byte[] random() {
            byte[] bytes = new byte[4];
            ThreadLocalRandom.current().nextBytes(bytes);
            return bytes;
        }
    }
}
