package io.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorManifestsTest {

    @TempDir Path dir;

    @Test
    void thePortalImageKnowsAConnectorKindFromItsManifestFileWithoutTheJar() throws Exception {
        // As the portal image lays it out: /app/connectors/sql/connector.json, the image runs the connector.
        Files.createDirectories(dir.resolve("sql"));
        Files.copy(Path.of("../connectors/sql/target/classes/connector.json"), dir.resolve("sql/connector.json"));
        Files.createDirectories(dir.resolve("empty"));
        ConnectorManifests manifests = new ConnectorManifests(
                new ConnectorSettings("docker", dir, Duration.ofSeconds(30), Duration.ofSeconds(30)), new ObjectMapper());

        assertThat(manifests.all()).containsOnlyKeys("sql");
        ConnectorManifest sql = manifests.find("sql").orElseThrow();
        assertThat(sql.id()).isEqualTo("sql");
        assertThat(sql.tools()).extracting(ConnectorManifest.ToolEntry::name).contains("run_query", "list_tables");
    }
}
