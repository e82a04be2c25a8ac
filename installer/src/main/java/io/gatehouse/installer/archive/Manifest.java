package io.gatehouse.installer.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatehouse.installer.InstallerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MANIFEST.json of a backup or bundle: version, revision, created (ISO-8601), and the sha256 and size of every file.
 *
 * @param files path inside the archive → sha256 and size
 */
public record Manifest(String version, String revision, String created, Map<String, Entry> files) {

    public static final String NAME = "MANIFEST.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Entry(String sha256, long size) {
    }

    /** Hashes each file; {@code files} maps the path inside the archive to the file on disk. */
    public static Manifest of(String version, String revision, String created, Map<String, Path> files) {
        Map<String, Entry> entries = new TreeMap<>();
        files.forEach((name, file) -> {
            try (InputStream in = Files.newInputStream(file)) {
                Digest digest = Digest.of(in);
                entries.put(name, new Entry(digest.sha256(), digest.size()));
            } catch (IOException e) {
                throw new InstallerException("cannot read " + file + ": " + e.getMessage());
            }
        });
        return new Manifest(version, revision, created, entries);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Manifest parse(byte[] json, String archive) {
        try {
            Manifest manifest = JSON.readValue(json, Manifest.class);
            if (manifest.files() == null || manifest.version() == null) {
                throw new InstallerException(archive + ": " + NAME + " lacks version or files: the archive is not a Gatehouse archive");
            }
            return manifest;
        } catch (IOException e) {
            throw new InstallerException(archive + ": " + NAME + " is not readable (" + e.getMessage().lines().findFirst().orElse("") + "): the archive is damaged");
        }
    }

    /** Compares what was read with what the manifest promises; refuses naming the first file that differs. */
    public void verify(Map<String, Entry> actual, String archive) {
        for (Map.Entry<String, Entry> expected : files.entrySet()) {
            Entry found = actual.get(expected.getKey());
            if (found == null) {
                throw new InstallerException(archive + ": " + expected.getKey() + " is missing: the archive is incomplete; do not use it");
            }
            if (!found.equals(expected.getValue())) {
                throw new InstallerException(archive + ": " + expected.getKey() + " does not match its sha256 in " + NAME
                        + ": the archive is damaged or was changed; do not use it");
            }
        }
        List<String> extra = actual.keySet().stream().filter(k -> !files.containsKey(k)).toList();
        if (!extra.isEmpty()) {
            throw new InstallerException(archive + ": " + extra.getFirst() + " is not listed in " + NAME + ": the archive was changed; do not use it");
        }
    }

    /** SHA-256 and length of a stream read to its end. */
    public record Digest(String sha256, long size) {
        public static Digest of(InputStream in) throws IOException {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long size = 0;
            try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = digesting.read(buffer)) > 0) {
                    size += n;
                }
            }
            return new Digest(HexFormat.of().formatHex(sha.digest()), size);
        }
    }
}
