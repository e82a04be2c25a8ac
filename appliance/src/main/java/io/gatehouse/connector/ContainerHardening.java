package io.gatehouse.connector;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import java.util.Map;

/**
 * The hardening every connector container gets, in one place so a test can pin it: internal network only,
 * no published ports, read-only root file system with a small tmpfs /tmp, every capability dropped,
 * no privilege escalation, a non-root user, and memory / CPU / process limits.
 */
final class ContainerHardening {

    static final String USER = "10001:10001";
    static final String TMPFS_OPTIONS = "rw,noexec,nosuid,nodev,size=64m";

    private ContainerHardening() {
    }

    static HostConfig hostConfig(DockerSettings settings, String network) {
        long memory = settings.memoryMb() * 1024 * 1024;
        return HostConfig.newHostConfig()
                .withNetworkMode(network)
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", TMPFS_OPTIONS))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs((long) (settings.cpus() * 1_000_000_000L))
                .withPidsLimit(settings.pids())
                .withPrivileged(false)
                .withPublishAllPorts(false)
                .withInit(true);
    }
}
