package io.gatehouse.installer;

import io.gatehouse.installer.preflight.SystemProbes;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;

/** A scripted machine: home with compose/, a fake Docker socket, a clock that moves only when the installer waits. */
public final class TestHost {

    public final Path home;
    public final Path compose;
    public final ScriptedRunner runner = new ScriptedRunner();
    public final MovingClock clock = new MovingClock(Instant.parse("2025-06-01T10:00:00Z"));
    public SystemProbes probes = SystemProbes.real();
    public Prompter prompter = Prompter.none();
    public boolean root;
    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();

    public TestHost(Path home) throws IOException {
        this.home = home;
        this.compose = Files.createDirectories(home.resolve("compose"));
        Files.writeString(compose.resolve("docker-compose.yml"), "services: {}\n");
        Files.writeString(home.resolve("docker.sock"), "");
        runner.on("docker compose version", io.gatehouse.installer.process.CommandResult.ok("Docker Compose version v2.29.0"));
    }

    public Host host() {
        return new Host(runner, prompter, Map.of(), home, home.resolve("docker.sock"), clock, clock::advance, probes, root);
    }

    public int run(String... args) {
        return Installer.run(host(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    public String output() {
        return out + "\n" + err;
    }

    public static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Probes with fixed answers. */
    public record FixedProbes(SystemProbes.PortState ports, long freeBytes, OptionalLong memory) implements SystemProbes {
        @Override
        public PortState port(int port) {
            return ports;
        }

        @Override
        public long freeBytes(Path path) {
            return freeBytes;
        }

        @Override
        public OptionalLong memoryBytes() {
            return memory;
        }
    }
}
