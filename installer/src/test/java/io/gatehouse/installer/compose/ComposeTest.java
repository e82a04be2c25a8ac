package io.gatehouse.installer.compose;

import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.ScriptedRunner;
import io.gatehouse.installer.process.CommandResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeTest {

    private final Path dir = Path.of("/opt/gatehouse/compose");

    @Test
    void v2ArgvNamesProjectDirectoryEnvFileAndEveryComposeFile() {
        Compose compose = new Compose(Compose.Flavour.V2, dir, "docker-compose.yml:mongo-official.yml");

        assertThat(compose.argv("up", "-d")).containsExactly("docker", "compose", "--project-name", "gatehouse",
                "--project-directory", "/opt/gatehouse/compose", "--env-file", "/opt/gatehouse/compose/.env",
                "-f", "/opt/gatehouse/compose/docker-compose.yml", "-f", "/opt/gatehouse/compose/mongo-official.yml", "up", "-d");
    }

    @Test
    void v1ArgvIsTheSameBehindDockerCompose() {
        Compose compose = new Compose(Compose.Flavour.V1, dir, null);

        assertThat(compose.argv(List.of("exec", "-T", "postgres", "pg_isready"))).containsExactly("docker-compose", "--project-name",
                "gatehouse", "--project-directory", "/opt/gatehouse/compose", "--env-file", "/opt/gatehouse/compose/.env",
                "-f", "/opt/gatehouse/compose/docker-compose.yml", "exec", "-T", "postgres", "pg_isready");
    }

    @Test
    void detectionPrefersV2ThenAcceptsV1From129() {
        ScriptedRunner runner = new ScriptedRunner().on("docker compose version", CommandResult.ok("Docker Compose version v2.29.0"));
        assertThat(Compose.detect(runner)).isEqualTo(Compose.Flavour.V2);

        runner.on("docker compose version", CommandResult.failed(1, "unknown command")).on("docker-compose version", CommandResult.ok("1.29.2\n"));
        assertThat(Compose.detect(runner)).isEqualTo(Compose.Flavour.V1);

        runner.on("docker-compose version", CommandResult.ok("1.28.6\n"));
        assertThatThrownBy(() -> Compose.detect(runner)).isInstanceOf(InstallerException.class).hasMessageContaining("1.28.6 is too old");
    }
}
