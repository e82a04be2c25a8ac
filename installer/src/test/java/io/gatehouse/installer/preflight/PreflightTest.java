package io.gatehouse.installer.preflight;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class PreflightTest {

    @TempDir Path tmp;

    private static final long GB = 1_000_000_000L;

    private TestHost healthyHost() throws Exception {
        TestHost t = new TestHost(tmp);
        t.probes = new TestHost.FixedProbes(SystemProbes.PortState.FREE, 50 * GB, OptionalLong.of(8L * 1024 * 1024 * 1024));
        t.runner.on("docker version", CommandResult.ok("24.0.7\n"))
                .on("docker info --format", CommandResult.ok("/var/lib/docker\n"))
                .on("timedatectl", CommandResult.ok("yes\n"));
        return t;
    }

    @Test
    void aGoodHostPassesEveryCheck() throws Exception {
        TestHost t = healthyHost();

        assertThat(t.run("preflight")).as(t.output()).isZero();
        assertThat(t.out.toString()).contains("PASS  docker engine").contains("Docker 24.0.7").contains("PASS  port 80")
                .contains("PASS  port 443").contains("PASS  memory").contains("PASS  clock").contains("preflight passed")
                .doesNotContain("FAIL").doesNotContain("WARN");
    }

    @Test
    void anOldOrUnreachableOrForbiddenEngineFails() throws Exception {
        TestHost t = healthyHost();
        t.runner.on("docker version", CommandResult.ok("19.03.12\n"));
        assertThat(t.run("preflight")).isEqualTo(1);
        assertThat(t.out.toString()).contains("FAIL  docker engine").contains("Docker 19.03.12 is too old: upgrade to 20.10 or newer")
                .contains("preflight failed");

        t.runner.on("docker version", new CommandResult(1, "", "permission denied while trying to connect to the Docker daemon socket"));
        t.run("preflight");
        assertThat(t.out.toString()).contains("add yourself to the docker group").contains("or run as root");

        t.runner.on("docker version", new CommandResult(1, "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock"));
        t.run("preflight");
        assertThat(t.out.toString()).contains("the Docker engine does not answer").contains("systemctl start docker");

        t.runner.on("docker version", CommandResult.failed(CommandResult.NOT_FOUND, "docker: not found"));
        t.run("preflight");
        assertThat(t.out.toString()).contains("docker not found: install Docker Engine 20.10+");
    }

    @Test
    void missingComposeFailsWithTheFix() throws Exception {
        TestHost t = healthyHost();
        t.runner.on("docker compose version", CommandResult.failed(1, "docker: 'compose' is not a docker command."))
                .on("docker-compose version", CommandResult.failed(CommandResult.NOT_FOUND, "not found"));

        assertThat(t.run("preflight")).isEqualTo(1);
        assertThat(t.out.toString()).contains("FAIL  docker compose")
                .contains("Docker Compose not found: install the docker-compose-plugin package (or docker-compose 1.29+)");

        t.runner.on("docker-compose version", CommandResult.ok("1.25.0\n"));
        t.run("preflight");
        assertThat(t.out.toString()).contains("docker-compose 1.25.0 is too old");

        t.runner.on("docker-compose version", CommandResult.ok("1.29.2\n"));
        assertThat(t.run("preflight")).isZero();
        assertThat(t.out.toString()).contains("PASS  docker compose").contains("docker-compose (v1)");
    }

    @Test
    void busyPortsSmallDiskLittleMemoryFailAndAnUnsyncedClockWarns() throws Exception {
        TestHost t = healthyHost();
        t.probes = new TestHost.FixedProbes(SystemProbes.PortState.IN_USE, 3 * GB, OptionalLong.of(2L * 1024 * 1024 * 1024));
        t.runner.on("timedatectl", CommandResult.ok("no\n")).on("pgrep", CommandResult.failed(1, ""));

        assertThat(t.run("preflight", "--http-port", "8080", "--https-port", "8443")).isEqualTo(1);
        assertThat(t.out.toString())
                .contains("FAIL  port 8080").contains("FAIL  port 8443").contains("choose another port with init --https-port")
                .contains("FAIL  disk (docker)").contains("needs 10 GB")
                .contains("FAIL  memory").contains("Gatehouse needs 4 GB")
                .contains("WARN  clock").contains("install and start chrony");
    }

    @Test
    void portsThatNeedRootToTestWarnAndARunningChronyCounts() throws Exception {
        TestHost t = healthyHost();
        t.probes = new TestHost.FixedProbes(SystemProbes.PortState.NO_PERMISSION, 50 * GB, OptionalLong.of(8L * 1024 * 1024 * 1024));
        t.runner.on("timedatectl", CommandResult.failed(CommandResult.NOT_FOUND, "")).on("pgrep -x chronyd", CommandResult.ok("123"));

        assertThat(t.run("preflight")).as(t.output()).isZero();
        assertThat(t.out.toString()).contains("WARN  port 80").contains("could not be tested without root")
                .contains("PASS  clock").contains("chronyd is running");
    }
}
