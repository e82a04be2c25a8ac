package io.gatehouse.installer.compose;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.env.EnvFile;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The installed compose project: its .env, the compose command line, and waiting for its services to be healthy. */
public final class Stack {

    public static final List<String> SERVICES = List.of("postgres", "mongo", "docker-proxy", "portal", "caddy");
    private static final Duration POLL = Duration.ofSeconds(3);
    private static final Duration LONG = Duration.ofMinutes(15);

    private final Host host;
    private final Path dir;
    private final Compose compose;

    private Stack(Host host, Path dir, Compose compose) {
        this.host = host;
        this.dir = dir;
        this.compose = compose;
    }

    /** Needs DIR/.env (init) and a compose command. */
    public static Stack open(Host host, Path dir) {
        EnvFile env = EnvFile.read(dir.resolve(".env"));
        return new Stack(host, dir, new Compose(Compose.detect(host.runner()), dir, env.get("COMPOSE_FILE").orElse(null)));
    }

    public EnvFile env() {
        return EnvFile.read(dir.resolve(".env"));
    }

    public Path dir() {
        return dir;
    }

    public Compose compose() {
        return compose;
    }

    public String version() {
        return env().require("GATEHOUSE_VERSION");
    }

    public List<String> requiredImages() {
        EnvFile env = env();
        return Images.required(env.require("GATEHOUSE_VERSION"), env.get("GATEHOUSE_MONGO_IMAGE").orElse(null));
    }

    public CommandResult run(Command command) {
        return host.runner().run(command);
    }

    /** Runs a compose subcommand, output streamed; fails with the command's last error line. */
    public void streamed(String what, String... args) {
        CommandResult result = run(compose.command(args).streamed().timeout(LONG));
        if (!result.succeeded()) {
            throw new InstallerException(what + " failed: " + result.lastErrorLine());
        }
    }

    public void upDetached() {
        streamed("docker compose up", "up", "-d", "--remove-orphans");
    }

    public void stop(String service) {
        CommandResult result = run(compose.command("stop", service).timeout(LONG));
        if (!result.succeeded()) {
            throw new InstallerException("stopping " + service + " failed: " + result.lastErrorLine());
        }
    }

    public void start(String service) {
        CommandResult result = run(compose.command("start", service).timeout(LONG));
        if (!result.succeeded()) {
            throw new InstallerException("starting " + service + " failed: " + result.lastErrorLine()
                    + " (try ./installer.sh up)");
        }
    }

    /** Every service's container state; a service without a container is "missing". */
    public Map<String, ServiceState> states() {
        CommandResult ps = run(compose.command("ps", "-a", "-q"));
        if (!ps.succeeded()) {
            throw new InstallerException("docker compose ps failed: " + ps.lastErrorLine());
        }
        Map<String, ServiceState> states = new LinkedHashMap<>();
        for (String service : SERVICES) {
            states.put(service, new ServiceState(service, "missing", "none"));
        }
        List<String> ids = ps.stdoutLines();
        if (ids.isEmpty()) {
            return states;
        }
        // The one-off label goes into the same line: docker-compose v1 lists the containers of "compose run" too, and a
        // leftover exited one of a service (e.g. an ops run of the portal image) must not stand in for the real one.
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format",
                "{{index .Config.Labels \"com.docker.compose.service\"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}"
                        + " {{index .Config.Labels \"com.docker.compose.oneoff\"}}"));
        argv.addAll(ids);
        CommandResult inspect = run(Command.of(argv));
        if (!inspect.succeeded()) {
            throw new InstallerException("docker inspect failed: " + inspect.lastErrorLine());
        }
        for (String line : inspect.stdoutLines()) {
            String[] parts = line.split(" ");
            if (parts.length == 4 && !parts[3].equalsIgnoreCase("True")) {
                states.put(parts[0], new ServiceState(parts[0], parts[1], parts[2]));
            }
        }
        return states;
    }

    /**
     * Polls until every service is healthy or the timeout passes, printing progress when it changes. On timeout it
     * prints each unhealthy service with its last 20 log lines and returns false.
     */
    public boolean waitHealthy(Duration timeout, PrintWriter out) {
        return waitHealthy(timeout, out, SERVICES);
    }

    /** As {@link #waitHealthy(Duration, PrintWriter)}, for some services only (the upgrade rollback waits for postgres first). */
    public boolean waitHealthy(Duration timeout, PrintWriter out, List<String> services) {
        Instant start = host.clock().instant();
        Instant deadline = start.plus(timeout);
        String last = "";
        while (true) {
            Map<String, ServiceState> states = states();
            List<ServiceState> waiting = states.values().stream().filter(s -> services.contains(s.service()) && !s.healthy()).toList();
            if (waiting.isEmpty()) {
                out.println(services.equals(SERVICES) ? "every service is healthy" : String.join(", ", services) + " healthy");
                out.flush();
                return true;
            }
            String progress = String.join(", ", waiting.stream().map(s -> s.service() + " " + s.describe()).toList());
            if (!progress.equals(last)) {
                out.println("waiting (" + Duration.between(start, host.clock().instant()).toSeconds() + " s): " + progress);
                out.flush();
                last = progress;
            }
            if (!host.clock().instant().isBefore(deadline)) {
                out.println("not healthy after " + timeout.toSeconds() + " s:");
                for (ServiceState state : waiting) {
                    out.println("--- " + state.service() + ": " + state.describe() + "; last log lines:");
                    out.println(logTail(state.service(), 20));
                }
                out.flush();
                return false;
            }
            host.sleeper().sleep(POLL);
        }
    }

    public String logTail(String service, int lines) {
        CommandResult logs = run(compose.command("logs", "--no-color", "--tail", String.valueOf(lines), service));
        return logs.succeeded() ? logs.stdout().stripTrailing() : "(no logs: " + logs.lastErrorLine() + ")";
    }

    /** https://HOSTNAME[:PORT]/ as .env configures it. */
    public String url() {
        EnvFile env = env();
        String port = env.get("GATEHOUSE_HTTPS_PORT").orElse("443");
        return "https://" + env.require("GATEHOUSE_HOSTNAME") + (port.equals("443") ? "" : ":" + port) + "/";
    }
}
