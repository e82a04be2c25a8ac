package io.gatehouse.connector;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production runtime: one hardened container per connector on its own internal network, shared only with
 * the portal. Connectors cannot reach each other or the internet, and publish no ports. The portal reaches
 * a connector at its address on that network (joining the network itself when it runs in a container).
 */
@Singleton
@Requires(property = "gatehouse.connectors.runtime", value = "docker")
final class DockerConnectorRuntime implements ConnectorRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerConnectorRuntime.class);
    static final String LABEL_OWNER = "io.gatehouse.owner";
    static final String LABEL_CONNECTOR = "io.gatehouse.connector";
    static final String LABEL_KIND = "io.gatehouse.kind";
    static final int CONNECTOR_PORT = 8080;

    private final DockerSettings docker;
    private final ConnectorSettings settings;
    private final DockerClient client;

    DockerConnectorRuntime(DockerSettings docker, ConnectorSettings settings) {
        this.docker = docker;
        this.settings = settings;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(docker.host()).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build());
    }

    DockerClient client() {
        return client;
    }

    private record Handle(String containerId, String network) {
    }

    @Override
    public RunningConnector start(ConnectorLaunch launch) {
        String suffix = launch.connectorId().toString().substring(0, 8);
        String network = "gatehouse-conn-" + launch.name() + "-" + suffix;
        String container = "gatehouse-conn-" + launch.name() + "-" + suffix;
        removeLeftovers(container, network);
        Map<String, String> labels = Map.of(LABEL_OWNER, docker.owner(), LABEL_CONNECTOR, launch.name(), LABEL_KIND, launch.kind());
        ConnectorLaunch.ExternalImage external = launch.external();
        String image = external != null ? external.imageId() : docker.imagePrefix() + launch.kind() + ":" + docker.imageTag();
        int port = external != null ? external.port() : CONNECTOR_PORT;
        String path = external != null ? external.path() : "/mcp";
        try {
            // The bridge is named ghc-<id> so one host firewall rule (docker/connector-firewall.sh) keeps every
            // connector away from services on the host itself, which Docker's "internal" flag does not.
            client.createNetworkCmd().withName(network).withDriver("bridge").withInternal(true).withLabels(labels)
                    .withOptions(Map.of("com.docker.network.bridge.name", bridgeName(launch))).exec();
            if (docker.portalContainer() != null && !docker.portalContainer().isBlank()) {
                client.connectToNetworkCmd().withNetworkId(network).withContainerId(docker.portalContainer()).exec();
            }
            List<String> env = new ArrayList<>();
            launch.environment().forEach((k, v) -> env.add(k + "=" + v));
            env.add("GATEHOUSE_CONNECTOR_TOKEN=" + launch.token());
            env.add("GATEHOUSE_CONNECTOR_HOST=0.0.0.0");
            env.add("GATEHOUSE_CONNECTOR_PORT=" + port);
            CreateContainerResponse created = client.createContainerCmd(image)
                    .withName(container)
                    .withUser(ContainerHardening.USER)
                    .withEnv(env)
                    .withLabels(labels)
                    .withHostConfig(ContainerHardening.hostConfig(docker, network))
                    .exec();
            for (String dataNetwork : launch.dataNetworks()) {
                try {
                    client.connectToNetworkCmd().withNetworkId(dataNetwork).withContainerId(created.getId()).exec();
                } catch (NotFoundException e) {
                    throw new ConnectorStartException("The Docker network '" + dataNetwork + "' that the " + launch.name()
                            + " connector should join (where its data source is) does not exist.", e);
                }
            }
            client.startContainerCmd(created.getId()).exec();
            String address = addressOn(created.getId(), network);
            URI base = URI.create("http://" + address + ":" + port);
            RunningConnector running = new RunningConnector(launch.connectorId(), launch.name(), base.resolve(path), launch.token(),
                    new Handle(created.getId(), network));
            try {
                // Our connectors have /health; a third-party server is ready once its port accepts connections.
                if (external == null) {
                    HealthProbe.await(base.resolve("/health"), settings.startTimeout(), () -> running(created.getId()));
                } else {
                    HealthProbe.awaitPort(address, port, settings.startTimeout(), () -> running(created.getId()));
                }
            } catch (ConnectorStartException e) {
                String tail = String.join(" | ", lastLines(recentLog(running), 5));
                stop(running);
                throw new ConnectorStartException(e.getMessage() + (tail.isEmpty() ? "" : ". Its last output: " + tail), e);
            }
            return running;
        } catch (ConnectorStartException e) {
            removeLeftovers(container, network);
            throw e;
        } catch (NotFoundException e) {
            removeLeftovers(container, network);
            throw new ConnectorStartException("The image " + image + " is not in the Docker engine. Build the images first"
                    + " (./gatehouse images).", e);
        } catch (DockerException e) {
            removeLeftovers(container, network);
            throw new ConnectorStartException("Docker refused to start the " + launch.name() + " connector: " + e.getMessage(), e);
        }
    }

    static String bridgeName(ConnectorLaunch launch) {
        return "ghc-" + launch.connectorId().toString().substring(0, 8);
    }

    private String addressOn(String containerId, String network) {
        InspectContainerResponse inspect = client.inspectContainerCmd(containerId).exec();
        ContainerNetwork attached = inspect.getNetworkSettings().getNetworks().get(network);
        if (attached == null || attached.getIpAddress() == null || attached.getIpAddress().isBlank()) {
            throw new ConnectorStartException("The container has no address on its network " + network);
        }
        return attached.getIpAddress();
    }

    /** The content-addressed id of an image in the engine, so a registered server cannot change under us. */
    String pinnedImageId(String image) {
        try {
            return client.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new ConnectorStartException("The image " + image + " is not in the Docker engine. Load or build it first.", e);
        }
    }

    private boolean running(String containerId) {
        try {
            Boolean running = client.inspectContainerCmd(containerId).exec().getState().getRunning();
            return Boolean.TRUE.equals(running);
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public boolean isAlive(RunningConnector running) {
        return running(((Handle) running.handle()).containerId());
    }

    @Override
    public void stop(RunningConnector running) {
        Handle handle = (Handle) running.handle();
        try {
            client.removeContainerCmd(handle.containerId()).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        }
        removeNetwork(handle.network());
    }

    @Override
    public List<String> recentLog(RunningConnector running) {
        List<String> lines = new ArrayList<>();
        try {
            client.logContainerCmd(((Handle) running.handle()).containerId()).withStdOut(true).withStdErr(true).withTail(200)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            lines.add(new String(frame.getPayload(), StandardCharsets.UTF_8).stripTrailing());
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NotFoundException ignored) {
            // container removed
        }
        return lines;
    }

    /** A previous portal run that crashed may have left a container or network with the same name. */
    private void removeLeftovers(String container, String network) {
        try {
            client.removeContainerCmd(container).withForce(true).exec();
        } catch (NotFoundException ignored) {
            // nothing left over
        }
        removeNetwork(network);
    }

    private void removeNetwork(String network) {
        try {
            if (docker.portalContainer() != null && !docker.portalContainer().isBlank()) {
                try {
                    client.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(docker.portalContainer()).withForce(true).exec();
                } catch (DockerException ignored) {
                    // not connected
                }
            }
            client.removeNetworkCmd(network).exec();
        } catch (NotFoundException ignored) {
            // already gone
        } catch (DockerException e) {
            LOG.warn("Could not remove network {}: {}", network, e.getMessage());
        }
    }

    private static List<String> lastLines(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    @PreDestroy
    void close() throws IOException {
        client.close();
    }
}
