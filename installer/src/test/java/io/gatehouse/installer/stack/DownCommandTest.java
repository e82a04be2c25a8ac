package io.gatehouse.installer.stack;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DownCommandTest {

    @TempDir Path tmp;

    @Test
    void downRemovesTheConnectorContainersAndNetworksThePortalStarted() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\n");
        t.runner.on("docker ps -a -q --filter label=io.gatehouse.owner=gatehouse", CommandResult.ok("c1\nc2\n"))
                .on("docker network ls -q --filter label=io.gatehouse.owner=gatehouse", CommandResult.ok("n1\n"));

        int code = t.run("down");

        assertThat(code).as(t.output()).isZero();
        assertThat(t.runner.lines()).anyMatch(l -> l.contains(" down --remove-orphans") && !l.contains("--volumes"))
                .contains("docker rm -f -v c1 c2", "docker network rm n1");
        assertThat(t.out.toString()).contains("removed 2 connector container(s), 1 connector network(s)").contains("data volumes kept");
    }

    @Test
    void downWithVolumesAsksAndStopsWhenNotConfirmed() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\n");

        assertThat(t.run("down", "--volumes")).isEqualTo(1);
        assertThat(t.err.toString()).contains("Pass --yes");
        assertThat(t.runner.lines()).noneMatch(l -> l.contains(" down "));

        assertThat(t.run("down", "--volumes", "--yes")).isZero();
        assertThat(t.runner.lines()).anyMatch(l -> l.contains(" down --remove-orphans --volumes"));
    }

    @Test
    void upWithoutEnvSaysToRunInitAndWithoutImagesSaysHowToGetThem() throws Exception {
        TestHost t = new TestHost(tmp);
        assertThat(t.run("up")).isEqualTo(1);
        assertThat(t.err.toString()).contains("run ./installer.sh init first");

        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_MONGO_IMAGE=gatehouse/mongo-wire:0.1.0\n");
        t.runner.on("docker image inspect --format {{.Id}} gatehouse/portal:0.1.0", CommandResult.failed(1, "No such image"));
        assertThat(t.run("up")).isEqualTo(1);
        assertThat(t.err.toString()).contains("image(s) missing: gatehouse/portal:0.1.0").contains("./installer.sh load BUNDLE.tar");
        assertThat(t.runner.lines()).noneMatch(l -> l.contains(" up -d"));
    }

    @Test
    void upWaitsForHealthyAndPrintsTheAddress() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\nGATEHOUSE_HTTPS_PORT=8443\n"
                + "GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL=it@example.com\n");
        int[] polls = {0};
        t.runner.on(" ps -a -q", CommandResult.ok("a\nb\nc\nd\ne\n"))
                .on("docker inspect --format", c -> CommandResult.ok(polls[0]++ < 2
                        ? "postgres running healthy False\nmongo running healthy False\ndocker-proxy running healthy False\nportal running starting False\ncaddy created none False\n"
                        : "postgres running healthy False\nmongo running healthy False\ndocker-proxy running healthy False\nportal running healthy False\ncaddy running healthy False\n"));

        assertThat(t.run("up")).as(t.output()).isZero();
        assertThat(t.out.toString()).contains("portal starting, caddy created").contains("every service is healthy")
                .contains("Gatehouse is running: https://gh.example.com:8443/").contains("Sign in as it@example.com");
    }

    @Test
    void upTimesOutNamingEachUnhealthyServiceWithItsLogs() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\n");
        t.runner.on(" ps -a -q", CommandResult.ok("a\nb\nc\nd\ne\n"))
                .on("docker inspect --format", CommandResult.ok("postgres running healthy False\nmongo running healthy False\n"
                        + "docker-proxy running healthy False\nportal running unhealthy False\ncaddy created none False\n"))
                .on("logs --no-color --tail 20 portal", CommandResult.ok("Flyway: migration V16 failed\n"));

        assertThat(t.run("up", "--timeout", "60")).isEqualTo(1);
        assertThat(t.out.toString()).contains("not healthy after 60 s").contains("--- portal: unhealthy")
                .contains("Flyway: migration V16 failed").contains("--- caddy: created");
    }

    @Test
    void statusExitsOneWhenAServiceIsNotHealthy() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\n");
        t.runner.on(" ps -a -q", CommandResult.ok("a\n")).on("docker inspect --format", CommandResult.ok("portal exited none False\n"));

        assertThat(t.run("status")).isEqualTo(1);
        assertThat(t.out.toString()).contains("portal         exited").contains("postgres       missing").contains("not all healthy");
    }
}
