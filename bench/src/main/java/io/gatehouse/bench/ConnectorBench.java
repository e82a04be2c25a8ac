package io.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.config.EmbeddedPostgres;
import io.gatehouse.connector.ConnectorBenchSupport;
import io.gatehouse.connector.ConnectorLaunch;
import io.gatehouse.connector.ConnectorRuntime;
import io.gatehouse.connector.ConnectorSettings;
import io.gatehouse.connector.ConnectorSupervisor;
import io.gatehouse.connector.DockerSettings;
import io.gatehouse.connector.RunningConnector;
import io.gatehouse.connector.ToolBroker;
import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.demo.DemoDatabase;
import io.gatehouse.model.ToolCall;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Three numbers about connectors, side by side in one run:
 * <ol>
 *   <li>the latency {@link ToolBroker#call} adds to a tool call: the real SQL connector as a child process (the
 *   embedded default) on the demo database in the embedded PostgreSQL, {@code run_query} with a small fixed query,
 *   called sequentially through the portal's broker bean and directly with an MCP client session of the same kind
 *   the portal opens (same class, transport, JSON mapper and connector), the two paths alternating in blocks;</li>
 *   <li>how long {@code DockerConnectorRuntime.start} takes from nothing to a healthy container (network, container,
 *   start, {@code /health} 200) with the production hardening and limits;</li>
 *   <li>idle memory of the connector after start, an MCP session and three tool calls: the container (engine stats,
 *   cgroup, the JVM's own RSS inside it) and the child process on the host.</li>
 * </ol>
 * The container reaches the demo database the way production containers reach theirs: over a Docker "data" network
 * it joins besides its own internal one ({@code ConnectorLaunch.dataNetworks}). The embedded PostgreSQL listens on
 * loopback only, so a TCP relay in this JVM listens on that network's gateway address and accepts only the connector
 * container. Every container and network it starts carries the label {@code io.gatehouse.owner=gatehouse-bench-<random>}
 * and is removed at the end, also on failure or Ctrl-C.
 *
 * <p>Not a test; start it with {@code bench/run-connectors.sh [--calls N] [--warmup N] [--starts K]}.
 */
public final class ConnectorBench {

    static final String CONNECTOR = "demo";
    static final String QUERY = "select count(*) from customers";
    static final String IMAGE_PREFIX = "gatehouse/connector-";
    static final String IMAGE_TAG = "0.1.0";
    static final String IMAGE = IMAGE_PREFIX + "sql:" + IMAGE_TAG;
    /** The application's defaults for connector containers (application.yml, gatehouse.connectors.docker). */
    static final long MEMORY_MB = 256;
    static final double CPUS = 1.0; // the portal's default limit (application.yml)
    static final long PIDS = 128;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final long IDLE_MILLIS = 3_000;

    private ConnectorBench() {
    }

    @Command(name = "bench/run-connectors.sh", sortOptions = false, sortSynopsis = false,
            description = "Tool call latency through the broker vs. directly over MCP, container start-to-healthy, idle memory.")
    static final class Options implements BenchMain.Options {

        @Option(names = "--calls", paramLabel = "N", defaultValue = "2000",
                description = "measured run_query calls per path, broker and direct (default ${DEFAULT-VALUE})")
        private int calls;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "500",
                description = "warm-up calls per path, discarded (default ${DEFAULT-VALUE})")
        private int warmup;

        @Option(names = "--block", paramLabel = "N", defaultValue = "50",
                description = "the paths alternate every N calls (default ${DEFAULT-VALUE})")
        private int block;

        @Option(names = "--starts", paramLabel = "K", defaultValue = "5",
                description = "container starts to time (default ${DEFAULT-VALUE})")
        private int starts;

        @Option(names = "--no-docker", description = "skip the container measurements")
        private boolean noDocker;

        @Override
        public void check(CommandLine commandLine) {
            BenchMain.requireWithin(commandLine, "--calls", calls, 1, 1_000_000);
            BenchMain.requireWithin(commandLine, "--warmup", warmup, 0, 1_000_000);
            BenchMain.requireWithin(commandLine, "--block", block, 1, 1_000_000);
            BenchMain.requireWithin(commandLine, "--starts", starts, 1, 1_000_000);
        }

        int calls() {
            return calls;
        }

        int warmup() {
            return warmup;
        }

        int block() {
            return block;
        }

        int starts() {
            return starts;
        }

        boolean docker() {
            return !noDocker;
        }
    }

    public static void main(String[] args) {
        BenchMain.main(args, new Options(), (options, stdout) -> new Run(options).run(stdout));
    }

    // ---- results ----

    /** One path of the latency comparison. */
    static final class CallPath {
        final String name;
        final Latency latency = Latency.of(TimeUnit.NANOSECONDS, Duration.ofSeconds(60));
        long done;
        long errors;
        long cpuNanos;
        String lastError;

        CallPath(String name) {
            this.name = name;
        }
    }

    record Memory(String label, String value, String note) {
    }

    /**
     * Timed container starts with one CPU limit. Per start, besides the total: engine work up to the container's
     * {@code Created} time (leftover check, network, create), then to its {@code State.StartedAt} (start), then from
     * there to the first {@code /health} 200 (the JVM starting the connector, plus up to 50 ms of polling).
     */
    static final class StartSeries {
        final String label;
        final double cpus;
        final List<Double> total = new ArrayList<>();
        final List<Double> stop = new ArrayList<>();
        final List<Double> created = new ArrayList<>();
        final List<Double> started = new ArrayList<>();
        final List<Double> healthy = new ArrayList<>();

        StartSeries(String label, double cpus) {
            this.label = label;
            this.cpus = cpus;
        }
    }

    /** Everything the report prints; sections left null were not measured (see the matching failure). */
    static final class Results {
        CallPath direct;
        CallPath broker;
        Latency bookkeeping;
        String latencyFailure;
        final List<StartSeries> starts = new ArrayList<>();
        String startFailure;
        final List<Memory> memory = new ArrayList<>();
        String memoryFailure;
        Double containerJvmRssMb;
        Double containerCgroupRssMb;
        Double childFreshRssMb;
        String loadBefore;
        String loadAfter;
    }

    // ---- the run ----

    static final class Run {
        final Options options;
        final Results results = new Results();
        final String owner = "gatehouse-bench-" + UUID.randomUUID().toString().substring(0, 8);
        final AtomicBoolean cleaned = new AtomicBoolean();
        final List<Runnable> undo = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Path connectorsDir = Path.of("connectors").toAbsolutePath().normalize();
        TestPortal portal;
        ObjectMapper json;
        DemoDatabase.Access demo;
        EmbeddedPostgres postgres;
        /** The person the broker calls are made for: tool calls need a role that grants the tool. */
        UUID benchUser;

        Run(Options options) {
            this.options = options;
        }

        int run(PrintStream stdout) {
            results.loadBefore = loadAverage();
            Thread hook = Thread.ofPlatform().unstarted(this::cleanUp);
            Runtime.getRuntime().addShutdownHook(hook);
            boolean ok;
            try {
                ok = setUp();
                if (ok) {
                    latency();
                    childMemory();
                }
                if (options.docker() && ok) {
                    containers();
                } else if (options.docker()) {
                    results.startFailure = "skipped: setup failed";
                    results.memoryFailure = "skipped: setup failed";
                }
            } finally {
                cleanUp();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway; cleanUp only runs once
                }
            }
            results.loadAfter = loadAverage();
            report(stdout);
            boolean failed = !ok || results.latencyFailure != null
                    || (options.docker() && (results.startFailure != null || results.memoryFailure != null));
            return failed ? 1 : 0;
        }

        /** Demo database, portal, and the real SQL connector registered through the admin API. */
        boolean setUp() {
            try {
                Path jar = connectorsDir.resolve("sql/target/connector-sql.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("No " + jar + ": build it first (bench/run-connectors.sh does)");
                }
                progress("Setting up: embedded PostgreSQL with the demo database, portal, SQL connector as a child process ...");
                long started = System.nanoTime();
                postgres = SharedPostgres.server();
                demo = DemoDatabase.ensure(postgres.jdbcUrl("postgres"), postgres.jdbcUrl(DemoDatabase.DATABASE), postgres.user(),
                        new SecureRandom());
                portal = TestPortal.start(Map.of("GATEHOUSE_CONNECTOR_JARS", connectorsDir.toString()));
                json = portal.bean(ObjectMapper.class);
                WebSession admin = portal.admin();
                Map<String, Object> form = new HashMap<>();
                form.put("name", CONNECTOR);
                form.put("kind", "sql");
                form.put("description", "Sample business data");
                form.put("config", sqlConfig(demo.jdbcUrl()));
                HttpResponse<String> created = admin.postJson("/api/v1/admin/connectors", form);
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("Connector not created: HTTP " + created.statusCode() + " " + created.body());
                }
                ConnectorSupervisor supervisor = portal.bean(ConnectorSupervisor.class);
                long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
                while (ConnectorBenchSupport.running(supervisor, CONNECTOR).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        String why = supervisor.byName(CONNECTOR).map(ConnectorSupervisor.Instance::lastError).orElse("not registered");
                        throw new IllegalStateException("The demo connector did not start: " + why);
                    }
                    Thread.sleep(100);
                }
                benchUser = personWithGrant(admin);
                progress("Setup done in %.1f s; connector tools: %s", (System.nanoTime() - started) / 1e9,
                        ConnectorBenchSupport.toolNames(supervisor, CONNECTOR));
                return true;
            } catch (RuntimeException | InterruptedException e) {
                results.latencyFailure = "setup failed: " + e.getMessage();
                System.err.println("Setup failed: " + e);
                e.printStackTrace();
                return false;
            }
        }

        /** A local account in a role that grants {@code run_query} (READ) on the demo connector, as a person would have. */
        UUID personWithGrant(WebSession admin) {
            HttpResponse<String> role = admin.postJson("/api/v1/admin/roles", Map.of("name", "Bench", "description", "Benchmark caller"));
            if (role.statusCode() != 201) {
                throw new IllegalStateException("Role not created: HTTP " + role.statusCode() + " " + role.body());
            }
            String roleId = WebSession.parse(role.body()).path("id").asText();
            HttpResponse<String> granted = admin.putJson("/api/v1/admin/roles/" + roleId + "/grants", Map.of("models", List.of(),
                    "tools", List.of(Map.of("connector", CONNECTOR, "tool", "run_query", "access", "READ"))));
            if (granted.statusCode() != 200) {
                throw new IllegalStateException("Grant not saved: HTTP " + granted.statusCode() + " " + granted.body());
            }
            UUID id = portal.bean(UserAccounts.class).createLocal("bench@example.test", "Bench", token(), false).id();
            portal.bean(RoleAssignments.class).setManual(id, List.of(UUID.fromString(roleId)));
            return id;
        }

        Map<String, String> sqlConfig(String jdbcUrl) {
            return Map.of("SQL_URL", jdbcUrl, "SQL_USER", demo.user(), "SQL_PASSWORD", demo.password());
        }

        // ---- 1. broker vs direct ----

        void latency() {
            ConnectorSupervisor supervisor = portal.bean(ConnectorSupervisor.class);
            ToolBroker broker = portal.bean(ToolBroker.class);
            RunningConnector running = ConnectorBenchSupport.running(supervisor, CONNECTOR).orElseThrow();
            Caller caller = new Caller(benchUser, "bench@example.test", "Bench", false, Caller.Channel.SESSION, null,
                    Caller.Access.FULL);
            String argumentsJson = "{\"sql\":\"" + QUERY + "\"}";
            Map<String, Object> arguments = Map.of("sql", QUERY);
            String toolName = CONNECTOR + "__run_query";
            CallPath direct = new CallPath("direct");
            CallPath viaBroker = new CallPath("broker");
            try (ConnectorBenchSupport.Session session = ConnectorBenchSupport.open(running, json, CALL_TIMEOUT)) {
                session.listTools();
                // Both paths must give the same answer before anything is timed.
                McpSchema.CallToolResult first = session.call("run_query", arguments);
                ToolOutcome outcome = broker.call(caller, new ToolCall("check", toolName, argumentsJson));
                if (Boolean.TRUE.equals(first.isError()) || outcome.error() || outcome.rows() == null || outcome.rows() != 1) {
                    throw new IllegalStateException("Smoke check failed: direct " + textOf(first) + " / broker " + outcome);
                }
                progress("Broker is %s; both paths answer %s", broker.getClass().getName(), outcome.content());
                progress("Latency: %d warm-up + %d measured sequential calls per path, alternating every %d calls ...",
                        options.warmup(), options.calls(), options.block());
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                int perPath = options.warmup() + options.calls();
                CallPath[] paths = {direct, viaBroker};
                boolean gcDone = false;
                for (int block = 0; direct.done < perPath || viaBroker.done < perPath; block++) {
                    CallPath path = paths[block % 2];
                    if (path.done >= perPath) {
                        continue;
                    }
                    if (!gcDone && direct.done >= options.warmup() && viaBroker.done >= options.warmup()) {
                        System.gc(); // start the measured part with a clean heap, on both paths alike
                        gcDone = true;
                    }
                    long cpuBefore = os.getProcessCpuTime();
                    int measuredInBlock = 0;
                    for (int i = 0; i < options.block() && path.done < perPath; i++) {
                        boolean measured = path.done >= options.warmup();
                        long t0 = System.nanoTime();
                        String error;
                        if (path == direct) {
                            McpSchema.CallToolResult result = session.call("run_query", arguments);
                            error = Boolean.TRUE.equals(result.isError()) ? textOf(result) : null;
                        } else {
                            ToolOutcome o = broker.call(caller, new ToolCall("call-" + path.done, toolName, argumentsJson));
                            error = o.error() ? o.content() : null;
                        }
                        long elapsed = System.nanoTime() - t0;
                        path.done++;
                        if (measured) {
                            measuredInBlock++;
                            if (error != null) {
                                path.errors++;
                                path.lastError = error;
                            } else {
                                path.latency.record(elapsed);
                            }
                        }
                    }
                    if (measuredInBlock > 0) {
                        // Blocks are all-warm-up or all-measured when block divides warm-up; otherwise pro rata.
                        path.cpuNanos += (os.getProcessCpuTime() - cpuBefore) * measuredInBlock / Math.max(1, options.block());
                    }
                }
                progress("  direct p50 %.3f ms, broker p50 %.3f ms", direct.latency.ms(50), viaBroker.latency.ms(50));
                results.bookkeeping = bookkeeping(supervisor, argumentsJson, first);
            } catch (RuntimeException e) {
                results.latencyFailure = e.toString();
                System.err.println("Latency measurement failed: " + e);
                e.printStackTrace();
            }
            results.direct = direct;
            results.broker = viaBroker;
        }

        /** The broker's in-process work per call without the MCP round trip (its share of the added latency). */
        Latency bookkeeping(ConnectorSupervisor supervisor, String argumentsJson, McpSchema.CallToolResult sample) {
            Latency histogram = Latency.of(TimeUnit.NANOSECONDS, Duration.ofSeconds(10));
            long sink = 0;
            try {
                for (int i = 0; i < 30_000; i++) {
                    long t0 = System.nanoTime();
                    sink += ConnectorBenchSupport.brokerBookkeeping(supervisor, json, CONNECTOR, "run_query", argumentsJson, sample);
                    long elapsed = System.nanoTime() - t0;
                    if (i >= 10_000) {
                        histogram.record(elapsed);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (sink == 42) {
                System.err.print("");
            }
            return histogram;
        }

        // ---- 3b. child-process memory ----

        void childMemory() {
            try {
                ConnectorSupervisor supervisor = portal.bean(ConnectorSupervisor.class);
                RunningConnector portalConnector = ConnectorBenchSupport.running(supervisor, CONNECTOR).orElseThrow();
                long calls = results.direct == null ? 0 : results.direct.done + results.broker.done + 2;
                progress("Child-process memory: fresh connector, session + tools/list + 3 calls, %d s idle ...", IDLE_MILLIS / 1000);
                ConnectorRuntime processRuntime = ConnectorBenchSupport.processRuntime(
                        new ConnectorSettings("process", connectorsDir, START_TIMEOUT, CALL_TIMEOUT));
                ConnectorLaunch launch = new ConnectorLaunch(UUID.randomUUID(), "benchproc", "sql", sqlConfig(demo.jdbcUrl()), token());
                RunningConnector fresh = processRuntime.start(launch);
                try (ConnectorBenchSupport.Session session = ConnectorBenchSupport.open(fresh, json, CALL_TIMEOUT)) {
                    int ok = threeCalls(session);
                    Thread.sleep(IDLE_MILLIS);
                    long pid = ConnectorBenchSupport.process(fresh).pid();
                    Map<String, Long> status = procStatus(Files.readString(Path.of("/proc/" + pid + "/status")));
                    results.childFreshRssMb = mb(status.get("VmRSS"));
                    results.memory.add(new Memory("child process, fresh: VmRSS", fmtMb(status.get("VmRSS")),
                            breakdown(status) + "; " + ok + "/3 calls ok"));
                } finally {
                    processRuntime.stop(fresh);
                }
                // The portal's own connector has just answered every call of the latency test; it has been idle since.
                long pid = ConnectorBenchSupport.process(portalConnector).pid();
                Map<String, Long> status = procStatus(Files.readString(Path.of("/proc/" + pid + "/status")));
                results.memory.add(new Memory("child process, portal's: VmRSS", fmtMb(status.get("VmRSS")),
                        breakdown(status) + "; after " + calls + " calls, idle >= " + IDLE_MILLIS / 1000 + " s"));
            } catch (RuntimeException | IOException | InterruptedException e) {
                results.memory.add(new Memory("child process", "failed", e.toString()));
                results.memoryFailure = "child process: " + e;
                System.err.println("Child-process memory failed: " + e);
                e.printStackTrace();
            }
        }

        // ---- 2 and 3a. containers ----

        void containers() {
            Docker.Result image = Docker.run(Duration.ofSeconds(120), "image", "inspect", "--format", "{{.Id}}", IMAGE);
            if (image.exit() != 0) {
                String why = "image " + IMAGE + " not found (" + image.output().strip() + "); build it with ./gatehouse images";
                results.startFailure = why;
                results.memoryFailure = why;
                return;
            }
            String host = Optional.ofNullable(System.getenv("GATEHOUSE_DOCKER_HOST")).orElse("unix:///var/run/docker.sock");
            ConnectorSettings settings = new ConnectorSettings("docker", connectorsDir, START_TIMEOUT, CALL_TIMEOUT);
            // 2. start-to-healthy: the production runtime with the application's default limits, then (for comparison
            //    only) the same with a CPU limit as large as the machine, to show what the default CPU quota costs.
            try {
                startSeries(new StartSeries(CPUS + " CPU (default)", CPUS), host, settings);
                double all = Runtime.getRuntime().availableProcessors();
                if (all != CPUS) {
                    startSeries(new StartSeries(all + " CPU (comparison)", all), host, settings);
                }
            } catch (RuntimeException e) {
                results.startFailure = e.toString();
                System.err.println("Container starts failed: " + e);
                e.printStackTrace();
            }
            containerMemory(host, settings);
        }

        void startSeries(StartSeries series, String host, ConnectorSettings settings) {
            results.starts.add(series);
            ConnectorRuntime runtime = ConnectorBenchSupport.dockerRuntime(
                    new DockerSettings(host, IMAGE_PREFIX, IMAGE_TAG, MEMORY_MB, series.cpus, PIDS, owner, null), settings);
            undo.add(() -> ConnectorBenchSupport.close(runtime));
            progress("Container start-to-healthy, %d starts, %s ...", options.starts(), series.label);
            for (int k = 1; k <= options.starts(); k++) {
                ConnectorLaunch launch = new ConnectorLaunch(UUID.randomUUID(), "benchstart", "sql",
                        Map.of("SQL_URL", "jdbc:postgresql://db.invalid:5432/none"), token());
                Instant wallStart = Instant.now();
                long t0 = System.nanoTime();
                RunningConnector running = runtime.start(launch);
                double total = (System.nanoTime() - t0) / 1e9;
                Instant wallHealthy = wallStart.plusNanos(System.nanoTime() - t0);
                try {
                    Docker.Result times = Docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{.Created}} {{.State.StartedAt}}",
                            ConnectorBenchSupport.containerName(running));
                    String[] parts = times.output().strip().split(" ");
                    if (times.exit() == 0 && parts.length == 2) {
                        Instant created = Instant.parse(parts[0]);
                        Instant started = Instant.parse(parts[1]);
                        series.created.add(Duration.between(wallStart, created).toNanos() / 1e9);
                        series.started.add(Duration.between(created, started).toNanos() / 1e9);
                        series.healthy.add(Duration.between(started, wallHealthy).toNanos() / 1e9);
                    }
                } catch (RuntimeException e) {
                    System.err.println("No start breakdown: " + e);
                }
                long t1 = System.nanoTime();
                runtime.stop(running);
                double stop = (System.nanoTime() - t1) / 1e9;
                series.total.add(total);
                series.stop.add(stop);
                progress("  start %d: %.3f s to healthy, stop %.3f s", k, total, stop);
            }
        }

        void containerMemory(String host, ConnectorSettings settings) {
            progress("Container memory: data network + relay to PostgreSQL, start, session + tools/list + 3 calls, %d s idle ...",
                    IDLE_MILLIS / 1000);
            ConnectorRuntime runtime = ConnectorBenchSupport.dockerRuntime(
                    new DockerSettings(host, IMAGE_PREFIX, IMAGE_TAG, MEMORY_MB, CPUS, PIDS, owner, null), settings);
            undo.add(() -> ConnectorBenchSupport.close(runtime));
            RunningConnector running = null;
            try {
                DataNetwork data = dataNetwork();
                ConnectorLaunch launch = new ConnectorLaunch(UUID.randomUUID(), "benchrss", "sql", sqlConfig(data.jdbcUrl()), token(),
                        List.of(data.name()), null);
                running = runtime.start(launch);
                String container = ConnectorBenchSupport.containerName(running);
                String address = Docker.run(Duration.ofSeconds(30), "inspect", "-f",
                        "{{(index .NetworkSettings.Networks \"" + data.name() + "\").IPAddress}}", container).output().strip();
                data.allowed().set(InetAddress.getByName(address));
                try (ConnectorBenchSupport.Session session = ConnectorBenchSupport.open(running, json, CALL_TIMEOUT)) {
                    int ok = threeCalls(session);
                    Thread.sleep(IDLE_MILLIS);
                    String note = ok + "/3 calls ok; " + data.note();
                    Docker.Result stats = Docker.run(Duration.ofSeconds(30), "stats", "--no-stream", "--format", "{{.MemUsage}}", container);
                    results.memory.add(new Memory("container: docker stats MemUsage", stats.output().strip(),
                            "usage minus page cache; " + note));
                    Docker.Result cgroup = Docker.run(Duration.ofSeconds(30), "exec", container, "cat",
                            "/sys/fs/cgroup/memory/memory.stat", "/sys/fs/cgroup/memory/memory.usage_in_bytes");
                    Map<String, Long> stat = cgroupStat(cgroup.output());
                    if (cgroup.exit() == 0 && stat.containsKey("total_rss")) {
                        results.containerCgroupRssMb = stat.get("total_rss") / 1048576.0;
                        results.memory.add(new Memory("container: cgroup memory.stat total_rss",
                                String.format(Locale.ROOT, "%.1f MB", stat.get("total_rss") / 1048576.0),
                                String.format(Locale.ROOT, "cache %.1f MB, mapped_file %.1f MB, usage_in_bytes %.1f MB",
                                        stat.getOrDefault("total_cache", 0L) / 1048576.0, stat.getOrDefault("total_mapped_file", 0L) / 1048576.0,
                                        stat.getOrDefault("usage_in_bytes", 0L) / 1048576.0)));
                    } else {
                        results.memory.add(new Memory("container: cgroup memory.stat", "n/a", cgroup.output().strip()));
                    }
                    // The container runs with an init (docker-init as PID 1), so find the JVM by its name.
                    Docker.Result jvm = Docker.run(Duration.ofSeconds(30), "exec", container, "bash", "-c",
                            "for d in /proc/[0-9]*; do if [ \"$(cat $d/comm 2>/dev/null)\" = java ]; then echo \"pid ${d#/proc/}\"; cat $d/status; fi; done");
                    Map<String, Long> status = procStatus(jvm.output());
                    String pid = jvm.output().lines().filter(l -> l.startsWith("pid ")).findFirst().map(l -> l.substring(4)).orElse("?");
                    if (status.containsKey("VmRSS")) {
                        results.containerJvmRssMb = mb(status.get("VmRSS"));
                        results.memory.add(new Memory("container: JVM VmRSS (/proc/" + pid + "/status)", fmtMb(status.get("VmRSS")),
                                breakdown(status)));
                    } else {
                        results.memory.add(new Memory("container: JVM VmRSS", "n/a", jvm.output().strip()));
                    }
                }
            } catch (RuntimeException | IOException | InterruptedException e) {
                results.memoryFailure = e.toString();
                System.err.println("Container memory failed: " + e);
                e.printStackTrace();
            } finally {
                if (running != null) {
                    runtime.stop(running);
                }
            }
        }

        /** A data network the connector joins, and who on it may use the relay to PostgreSQL. */
        record DataNetwork(String name, String jdbcUrl, AtomicReference<InetAddress> allowed, String note) {
        }

        /**
         * The way a container reaches its database in production: a Docker "data" network the connector joins besides
         * its own internal one (ConnectorLaunch.dataNetworks). The embedded PostgreSQL listens on loopback only, so a
         * relay in this JVM listens on the data network's gateway address and forwards to it, accepting nothing but
         * the connector container's address on that network.
         */
        DataNetwork dataNetwork() throws IOException {
            String name = owner + "-data";
            Docker.Result created = Docker.run(Duration.ofSeconds(30), "network", "create", "--internal", "--driver", "bridge",
                    "--label", ConnectorBenchSupport.ownerLabel() + "=" + owner, name);
            if (created.exit() != 0) {
                throw new IllegalStateException("docker network create failed: " + created.output().strip());
            }
            String gateway = Docker.run(Duration.ofSeconds(30), "network", "inspect", name, "--format",
                    "{{(index .IPAM.Config 0).Gateway}}").output().strip();
            if (gateway.isEmpty() || gateway.contains(" ")) {
                throw new IllegalStateException("no gateway address on the data network: " + gateway);
            }
            URI pg = URI.create(demo.jdbcUrl().substring("jdbc:".length()));
            AtomicReference<InetAddress> allowed = new AtomicReference<>();
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(gateway, 0));
            undo.add(() -> closeQuietly(listener));
            Thread.ofVirtual().name("pg-relay").start(() -> TcpRelay.serve(listener,
                    new InetSocketAddress(pg.getHost(), pg.getPort()), a -> a.equals(allowed.get())));
            String url = "jdbc:postgresql://" + gateway + ":" + listener.getLocalPort() + pg.getPath();
            return new DataNetwork(name, url, allowed, "DB on data network " + name + " via relay " + gateway + ":"
                    + listener.getLocalPort() + " -> " + pg.getHost() + ":" + pg.getPort());
        }

        /** What the portal does with a new connector (session, tools/list), then three run_query calls. */
        int threeCalls(ConnectorBenchSupport.Session session) {
            session.listTools();
            int ok = 0;
            for (int i = 0; i < 3; i++) {
                McpSchema.CallToolResult result = session.call("run_query", Map.of("sql", QUERY));
                if (!Boolean.TRUE.equals(result.isError())) {
                    ok++;
                } else {
                    progress("  call %d failed: %s", i + 1, textOf(result));
                }
            }
            return ok;
        }

        void cleanUp() {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            for (Runnable step : undo.reversed()) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    System.err.println("Clean-up step failed: " + e);
                }
            }
            if (portal != null) {
                try {
                    Path dataDir = portal.dataDir();
                    portal.close();
                    deleteQuietly(dataDir);
                } catch (RuntimeException e) {
                    System.err.println("Portal close failed: " + e);
                }
            }
            if (options.docker()) {
                // Whatever is left with this run's label: containers first (they hold the networks), then networks.
                String filter = "label=" + ConnectorBenchSupport.ownerLabel() + "=" + owner;
                for (String id : Docker.run(Duration.ofSeconds(30), "ps", "-aq", "--filter", filter).output().lines().filter(s -> !s.isBlank()).toList()) {
                    Docker.run(Duration.ofSeconds(60), "rm", "-f", "-v", id.strip());
                }
                for (String id : Docker.run(Duration.ofSeconds(30), "network", "ls", "-q", "--filter", filter).output().lines().filter(s -> !s.isBlank()).toList()) {
                    Docker.run(Duration.ofSeconds(60), "network", "rm", id.strip());
                }
                long left = Docker.run(Duration.ofSeconds(30), "ps", "-aq", "--filter", filter).output().lines().filter(s -> !s.isBlank()).count()
                        + Docker.run(Duration.ofSeconds(30), "network", "ls", "-q", "--filter", filter).output().lines().filter(s -> !s.isBlank()).count();
                progress("Clean-up: %s", left == 0 ? "no containers or networks left with " + filter : left + " objects still labelled " + filter);
            }
            if (postgres != null) {
                // The shared embedded PostgreSQL (~120 MB under /tmp) would otherwise stay behind: left to its shutdown
                // hook, the directory is walked while PostgreSQL is still removing its files, and the walk gives up.
                Path pgDir = sharedPostgresDir(postgres);
                try {
                    postgres.close();
                } catch (RuntimeException e) {
                    System.err.println("Embedded PostgreSQL close failed: " + e);
                }
                if (pgDir != null) {
                    deleteQuietly(pgDir);
                }
            }
        }

        /** The temporary directory SharedPostgres made for its cluster, or null if it cannot be told for sure. */
        static Path sharedPostgresDir(EmbeddedPostgres postgres) {
            try (java.sql.Connection sql = java.sql.DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), "");
                 java.sql.Statement statement = sql.createStatement();
                 java.sql.ResultSet result = statement.executeQuery("show data_directory")) {
                Path parent = result.next() ? Path.of(result.getString(1)).getParent() : null;
                return parent != null && parent.getFileName().toString().startsWith("gatehouse-test-pg") ? parent : null;
            } catch (java.sql.SQLException | RuntimeException e) {
                return null;
            }
        }

        // ---- report ----

        void report(PrintStream stdout) {
            Runtime runtime = Runtime.getRuntime();
            StringBuilder out = new StringBuilder();
            out.append('\n');
            out.append("Gatehouse connectors: broker overhead, container start, idle memory\n");
            out.append(String.format(Locale.ROOT, "JDK %s, %d CPUs, max heap %d MB; load average before %s, after %s%n",
                    Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() / 1048576, results.loadBefore, results.loadAfter));
            out.append('\n');

            out.append(String.format(Locale.ROOT, "1. Tool call latency, ms: run_query \"%s\" on the demo database (embedded PostgreSQL),%n", QUERY));
            out.append(String.format(Locale.ROOT, "   real SQL connector as a child process; sequential; %d measured calls per path after %d warm-up%n",
                    options.calls(), options.warmup()));
            out.append(String.format(Locale.ROOT, "   (discarded), paths alternating every %d calls; direct = an MCP session like the portal's (McpConnection)%n",
                    options.block()));
            if (results.direct != null && results.direct.latency.count() > 0 && results.broker.latency.count() > 0) {
                Latency d = results.direct.latency;
                Latency b = results.broker.latency;
                String header = String.format(Locale.ROOT, "   %-28s | %7s %7s %7s %8s %7s | %6s | %s", "path", "p50", "p90", "p99", "max", "mean",
                        "errors", "JVM CPU/call");
                out.append(header).append('\n').append("   ").append("-".repeat(header.length() - 3)).append('\n');
                for (CallPath p : new CallPath[] {results.direct, results.broker}) {
                    long measured = p.latency.count() + p.errors;
                    out.append(String.format(Locale.ROOT, "   %-28s | %7.3f %7.3f %7.3f %8.3f %7.3f | %6d | %6.0f µs%n",
                            p == results.direct ? "direct (MCP client)" : "through ConnectorBroker.call",
                            p.latency.ms(50), p.latency.ms(90), p.latency.ms(99), p.latency.maxMs(),
                            p.latency.meanMs(), p.errors, p.cpuNanos / 1000.0 / Math.max(1, measured)));
                }
                out.append(String.format(Locale.ROOT, "   %-28s | %+7.3f %+7.3f %+7.3f %8s %+7.3f | %6s | %+6.0f µs%n", "added (broker - direct)",
                        b.ms(50) - d.ms(50), b.ms(90) - d.ms(90), b.ms(99) - d.ms(99), "", b.meanMs() - d.meanMs(), "",
                        (results.broker.cpuNanos / (double) Math.max(1, b.count() + results.broker.errors)
                                - results.direct.cpuNanos / (double) Math.max(1, d.count() + results.direct.errors)) / 1000.0));
                out.append("   (JVM CPU/call: CPU of this whole JVM, client + portal, per measured call; the connector is another process)\n");
                if (results.bookkeeping != null) {
                    out.append(String.format(Locale.ROOT, "   broker's own in-process work per call (no MCP round trip; parse arguments, find tool,%n"
                                    + "   result text + row count): p50 %.1f µs, p99 %.1f µs%n",
                            results.bookkeeping.ms(50) * 1000, results.bookkeeping.ms(99) * 1000));
                }
                for (CallPath p : new CallPath[] {results.direct, results.broker}) {
                    if (p.lastError != null) {
                        out.append("   last error, ").append(p.name).append(": ").append(p.lastError).append('\n');
                    }
                }
                double added = b.ms(50) - d.ms(50);
                out.append(String.format(Locale.ROOT, "   DESIGN target: < 2 ms added at p50 -> %+.3f ms, %s%n", added, verdict(added < 2)));
            } else {
                out.append("   not measured: ").append(results.latencyFailure).append('\n');
            }
            out.append('\n');

            out.append(String.format(Locale.ROOT, "2. Container start-to-healthy, s: DockerConnectorRuntime.start (internal network + hardened%n"
                    + "   container + start + GET /health 200), %s, %d MB / %d pids, then stop; %d runs per CPU limit%n",
                    IMAGE, MEMORY_MB, PIDS, options.starts()));
            if (!options.docker()) {
                out.append("   skipped (--no-docker)\n");
            } else if (!results.starts.isEmpty() && !results.starts.getFirst().total.isEmpty()) {
                for (StartSeries series : results.starts) {
                    if (series.total.isEmpty()) {
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "   %s: start min %.3f  median %.3f  max %.3f   (runs: %s)%n", series.label,
                            min(series.total), median(series.total), max(series.total),
                            String.join(" ", series.total.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList())));
                    if (!series.healthy.isEmpty()) {
                        out.append(String.format(Locale.ROOT, "      median parts: to Created %.3f (network + create), to StartedAt %.3f (start),"
                                        + " to /health 200 %.3f (JVM + connector start); stop median %.3f%n",
                                median(series.created), median(series.started), median(series.healthy), median(series.stop)));
                    }
                }
                if (results.startFailure != null) {
                    out.append("   (stopped early: ").append(results.startFailure).append(")\n");
                }
                List<Double> starts = results.starts.getFirst().total;
                out.append(String.format(Locale.ROOT, "   target: < 1.5 s at the default limits -> median %.3f s, %s (max %.3f s)%n", median(starts),
                        verdict(median(starts) < 1.5), max(starts)));
            } else {
                out.append("   not measured: ").append(results.startFailure).append('\n');
            }
            out.append('\n');

            out.append(String.format(Locale.ROOT, "3. Idle memory: %d s after start + MCP session (initialize, tools/list) + 3 run_query calls%n",
                    IDLE_MILLIS / 1000));
            if (results.memory.isEmpty()) {
                out.append("   not measured: ").append(results.memoryFailure).append('\n');
            } else {
                int width = results.memory.stream().mapToInt(m -> m.label().length()).max().orElse(10);
                for (Memory m : results.memory) {
                    out.append(String.format(Locale.ROOT, "   %-" + width + "s | %-20s | %s%n", m.label(), m.value(), m.note()));
                }
                if (options.docker() && results.memory.stream().noneMatch(m -> m.label().startsWith("container"))) {
                    out.append("   container: not measured: ").append(results.memoryFailure).append('\n');
                }
                List<String> verdicts = new ArrayList<>();
                if (results.containerJvmRssMb != null) {
                    verdicts.add(String.format(Locale.ROOT, "container JVM %.1f MB %s", results.containerJvmRssMb, verdict(results.containerJvmRssMb < 80)));
                }
                if (results.containerCgroupRssMb != null) {
                    verdicts.add(String.format(Locale.ROOT, "container cgroup rss %.1f MB %s", results.containerCgroupRssMb,
                            verdict(results.containerCgroupRssMb < 80)));
                }
                if (results.childFreshRssMb != null) {
                    verdicts.add(String.format(Locale.ROOT, "child process %.1f MB %s", results.childFreshRssMb, verdict(results.childFreshRssMb < 80)));
                }
                out.append("   target: < 80 MB -> ").append(String.join("; ", verdicts)).append('\n');
            }
            stdout.print(out);
            stdout.flush();
        }
    }

    // ---- TCP relay ----

    /** Forwards every accepted connection from an allowed address to one target address. */
    static final class TcpRelay {

        private TcpRelay() {
        }

        static void serve(ServerSocket server, InetSocketAddress target, Predicate<InetAddress> allowed) {
            while (!server.isClosed()) {
                Socket in;
                try {
                    in = server.accept();
                } catch (IOException closed) {
                    return;
                }
                if (!allowed.test(in.getInetAddress())) {
                    close(in);
                    continue;
                }
                Thread.ofVirtual().start(() -> pipe(in, target));
            }
        }

        private static void pipe(Socket in, InetSocketAddress target) {
            Socket out = new Socket();
            try {
                out.connect(target, 5_000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                Thread back = Thread.ofVirtual().start(() -> copy(out, in));
                copy(in, out);
                back.join();
            } catch (IOException | InterruptedException e) {
                // the peer went away
            } finally {
                close(in);
                close(out);
            }
        }

        /** One direction; at its end the other side gets a half-close (closing a socket's stream would close both ways). */
        private static void copy(Socket from, Socket to) {
            try {
                InputStream input = from.getInputStream();
                OutputStream output = to.getOutputStream();
                input.transferTo(output);
                to.shutdownOutput();
            } catch (IOException e) {
                close(from);
                close(to);
            }
        }

        static void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    // ---- helpers ----

    /** The docker CLI, for what the runtime has no method for (stats, exec, the data network, clean-up by label). */
    static final class Docker {
        record Result(int exit, String output) {
        }

        static Result run(Duration timeout, String... args) {
            List<String> command = new ArrayList<>();
            command.add("docker");
            command.addAll(List.of(args));
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                }, r -> Thread.ofVirtual().start(r));
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out: docker " + String.join(" ", args));
                }
                return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
            } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return new Result(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
        }
    }

    /** kB values of /proc/<pid>/status lines (VmRSS, RssAnon, RssFile, RssShmem), in bytes. */
    static Map<String, Long> procStatus(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                String name = line.substring(0, colon);
                if (name.equals("VmRSS") || name.startsWith("Rss")) {
                    values.put(name, Long.parseLong(line.substring(colon + 1, line.length() - 3).strip()) * 1024);
                }
            }
        }
        return values;
    }

    /** memory.stat lines ("name value") plus memory.usage_in_bytes (a bare number) as usage_in_bytes. */
    static Map<String, Long> cgroupStat(String text) {
        Map<String, Long> values = new HashMap<>();
        for (String line : text.lines().toList()) {
            String[] parts = line.strip().split("\\s+");
            try {
                if (parts.length == 2) {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } else if (parts.length == 1 && !parts[0].isEmpty()) {
                    values.put("usage_in_bytes", Long.parseLong(parts[0]));
                }
            } catch (NumberFormatException ignored) {
                // not a value line
            }
        }
        return values;
    }

    static String breakdown(Map<String, Long> status) {
        return String.format(Locale.ROOT, "anon %.1f MB, file %.1f MB, shmem %.1f MB", mb(status.getOrDefault("RssAnon", 0L)),
                mb(status.getOrDefault("RssFile", 0L)), mb(status.getOrDefault("RssShmem", 0L)));
    }

    static double mb(Long bytes) {
        return bytes == null ? Double.NaN : bytes / 1048576.0;
    }

    static String fmtMb(Long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", mb(bytes));
    }

    static String textOf(McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    static String token() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String verdict(boolean met) {
        return met ? "within target" : "OVER target";
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; leaving it behind is harmless
        }
    }
}
