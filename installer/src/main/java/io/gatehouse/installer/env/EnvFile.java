package io.gatehouse.installer.env;

import io.gatehouse.installer.InstallerException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The compose directory's {@code .env}: KEY=VALUE lines, comments kept. Values are written unquoted and restricted to
 * what docker compose v2 and docker-compose 1.29 read the same way (v1 keeps quotes, v2 strips them and expands
 * {@code $}), so quotes, {@code $}, newlines and " #" are refused. The file is created 0600 from the start: it holds
 * the master key and the database passwords.
 */
public final class EnvFile {

    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]*");
    private final List<String> lines;

    private EnvFile(List<String> lines) {
        this.lines = new ArrayList<>(lines);
    }

    public static EnvFile empty() {
        return new EnvFile(List.of());
    }

    public static EnvFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InstallerException(file + " not found: run ./installer.sh init first");
        }
        try {
            return new EnvFile(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InstallerException("cannot read " + file + " (" + e.getMessage() + "): run the installer as the user that ran init, or as root");
        }
    }

    public Optional<String> get(String key) {
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (!line.stripLeading().startsWith("#") && eq > 0 && line.substring(0, eq).strip().equals(key)) {
                return Optional.of(line.substring(eq + 1).strip());
            }
        }
        return Optional.empty();
    }

    public String require(String key) {
        return get(key).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new InstallerException(key + " is missing from .env: run ./installer.sh init --force (it keeps the secrets)"));
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (!line.stripLeading().startsWith("#") && eq > 0) {
                map.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return map;
    }

    /** Replaces the key's line in place, or appends it. */
    public EnvFile set(String key, String value) {
        checkKey(key);
        checkValue(key, value);
        String line = key + "=" + value;
        for (int i = 0; i < lines.size(); i++) {
            String existing = lines.get(i);
            int eq = existing.indexOf('=');
            if (!existing.stripLeading().startsWith("#") && eq > 0 && existing.substring(0, eq).strip().equals(key)) {
                lines.set(i, line);
                return this;
            }
        }
        lines.add(line);
        return this;
    }

    public EnvFile comment(String text) {
        lines.add(text.isEmpty() ? "" : "# " + text);
        return this;
    }

    public static void checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new InstallerException("'" + key + "' is not a variable name: use upper-case letters, digits and _ (e.g. GATEHOUSE_TIME_ZONE)");
        }
    }

    public static void checkValue(String key, String value) {
        if (value.contains("\n") || value.contains("\r") || value.contains("$") || value.contains("\"")
                || value.contains("'") || value.contains(" #") || !value.equals(value.strip())) {
            throw new InstallerException("the value of " + key + " contains a quote, $, a line break, ' #' or leading/trailing spaces,"
                    + " which docker compose v1 and v2 read differently: choose a value without them");
        }
    }

    /** Writes atomically: a new 0600 file next to the target, then renamed over it. */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".env-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    writer.write(line);
                    writer.write('\n');
                }
                writer.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
