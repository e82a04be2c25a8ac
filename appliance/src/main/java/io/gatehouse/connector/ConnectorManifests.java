package io.gatehouse.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector kinds this installation can run, read from each built connector's {@code connector.json}: inside
 * {@code <jar-dir>/<kind>/target/connector-<kind>.jar} in a source checkout, or as {@code <jar-dir>/<kind>/connector.json}
 * in the portal image, which carries the manifests of the connector images built with it (the images themselves are
 * started through Docker). Read on demand: kinds are few and rarely change.
 */
@Singleton
public class ConnectorManifests {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorManifests.class);

    private final ConnectorSettings settings;
    private final ObjectMapper json;

    ConnectorManifests(ConnectorSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    public Map<String, ConnectorManifest> all() {
        Map<String, ConnectorManifest> kinds = new TreeMap<>();
        Path dir = settings.jarDir().toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            return kinds;
        }
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(child -> {
                Path jar = child.resolve("target").resolve("connector-" + child.getFileName() + ".jar");
                Path manifest = child.resolve("connector.json");
                if (Files.isRegularFile(jar)) {
                    read(jar).ifPresent(m -> kinds.put(child.getFileName().toString(), m));
                } else if (Files.isRegularFile(manifest)) {
                    readFile(manifest).ifPresent(m -> kinds.put(child.getFileName().toString(), m));
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot list connector kinds in {}: {}", dir, e.getMessage());
        }
        return kinds;
    }

    public Optional<ConnectorManifest> find(String kind) {
        return Optional.ofNullable(all().get(kind));
    }

    private Optional<ConnectorManifest> readFile(Path manifest) {
        try (InputStream in = Files.newInputStream(manifest)) {
            return Optional.of(json.readValue(in, ConnectorManifest.class));
        } catch (IOException e) {
            LOG.warn("Cannot read the manifest {}: {}", manifest, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<ConnectorManifest> read(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var entry = file.getJarEntry("connector.json");
            if (entry == null) {
                LOG.warn("{} has no connector.json; ignoring it", jar);
                return Optional.empty();
            }
            try (InputStream in = file.getInputStream(entry)) {
                return Optional.of(json.readValue(in, ConnectorManifest.class));
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the manifest of {}: {}", jar, e.getMessage());
            return Optional.empty();
        }
    }
}
