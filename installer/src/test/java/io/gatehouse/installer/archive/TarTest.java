package io.gatehouse.installer.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TarTest {

    @TempDir Path tmp;

    @Test
    void extractsIntoADirectoryGivenThroughDotDot() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.txt"), "content");
        Map<String, Path> files = new LinkedHashMap<>(Map.of("sub/a.txt", file));
        Path archive = tmp.resolve("x.tar");
        Tar.write(archive, false, Manifest.of("0.1.0", "", "2025-06-01T10:00:00Z", files), files);
        Files.createDirectories(tmp.resolve("backups"));

        Tar.extractVerified(archive, false, tmp.resolve("backups/../out"));

        assertThat(tmp.resolve("out/sub/a.txt")).hasContent("content");
    }
}
