package io.gatehouse.installer.compose;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StackTest {

    @TempDir Path tmp;

    @Test
    void aLeftoverOneOffRunContainerDoesNotHideTheService() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\n");
        // docker-compose v1 lists the exited "run" container of the portal image after the real portal
        t.runner.on(" ps -a -q", CommandResult.ok("a\nb\n")).on("docker inspect --format",
                CommandResult.ok("portal running healthy False\nportal exited none True\n"));

        ServiceState portal = Stack.open(t.host(), t.compose).states().get("portal");

        assertThat(portal).isEqualTo(new ServiceState("portal", "running", "healthy"));
        assertThat(t.runner.lines()).anyMatch(l -> l.startsWith("docker inspect --format") && l.contains("com.docker.compose.oneoff"));
    }
}
