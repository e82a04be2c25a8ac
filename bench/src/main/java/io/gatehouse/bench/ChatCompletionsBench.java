package io.gatehouse.bench;

import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How much latency the portal adds on {@code POST /v1/chat/completions}: the same requests, at the same fixed
 * rate, sent once straight to a scripted OpenAI-compatible model server and once through a real portal (embedded
 * PostgreSQL, in-process MongoDB) that forwards to that server. The difference at each percentile is the portal's
 * cost: token check, parsing, the upstream call through its HTTP client, re-encoding the answer.
 *
 * <p>Open loop: a send is scheduled every {@code 1/rate} seconds whether or not earlier answers are back, and
 * latency is measured from that <em>intended</em> send time, so a stall shows up in the percentiles instead of
 * quietly slowing the load down (no coordinated omission). Each send runs on its own virtual thread. Within a
 * workload (non-streamed, then streamed) the two paths take turns every second, so GC, JIT and other work on the
 * machine fall on both alike. Per path it also reports the CPU this JVM used, the CPU of everything else on the
 * machine and the Linux CPU pressure, which tell a slow portal from a busy machine.
 *
 * <p>Not a test and not part of any test run; start it with {@code bench/run.sh [--rate N] [--seconds N] [--warmup N]}.
 */
public final class ChatCompletionsBench {

    private static final String MODEL = "bench-model";
    private static final String UPSTREAM_KEY = "bench-upstream-key";
    private static final String PROMPT = "Hello, how are you today?";
    /** The scripted server echoes the last user message; both paths must return it. */
    private static final String EXPECTED = "You said: ";
    private static final Duration HIGHEST = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The two paths take turns at the full rate, this long each. */
    private static final int SLICE_SECONDS = 1;

    private ChatCompletionsBench() {
    }

    @Command(name = "bench/run.sh", sortOptions = false, sortSynopsis = false,
            description = "Latency the portal adds on POST /v1/chat/completions, measured against a scripted model server.",
            footer = "Each workload (non-streamed, streamed) runs 2 x (warmup + seconds), the paths taking turns every second.")
    static final class Options implements BenchMain.Options {

        @Option(names = "--rate", paramLabel = "N", defaultValue = "500",
                description = "requests per second, open loop (default ${DEFAULT-VALUE})")
        private int rate;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "20",
                description = "measured seconds per path (direct, portal) and workload (default ${DEFAULT-VALUE})")
        private int seconds;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
                description = "warm-up seconds per path and workload, discarded (default ${DEFAULT-VALUE})")
        private int warmup;

        @Override
        public void check(CommandLine commandLine) {
            BenchMain.requireWithin(commandLine, "--rate", rate, 1, 1_000_000);
            BenchMain.requireWithin(commandLine, "--seconds", seconds, 1, 1_000_000);
            BenchMain.requireWithin(commandLine, "--warmup", warmup, 0, 1_000_000);
        }

        int rate() {
            return rate;
        }

        int seconds() {
            return seconds;
        }

        int warmup() {
            return warmup;
        }
    }

    /** Where a workload's requests go and with which credential. */
    record Target(String name, URI uri, String authorization) {
    }

    /**
     * What one path (direct or portal) saw in one workload (streamed or not). Only sends intended inside its measured
     * slices count; CPU is summed over those slices.
     */
    static final class Phase {
        final Latency total = Latency.concurrent(TimeUnit.MICROSECONDS, HIGHEST);
        final Latency ttft = Latency.concurrent(TimeUnit.MICROSECONDS, HIGHEST);
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder warmupErrors = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final Map<String, LongAdder> warmupErrorKinds = new ConcurrentHashMap<>();
        final AtomicLong lastCompletion = new AtomicLong(Long.MIN_VALUE);
        // Written by the scheduling thread only, read after all senders finished.
        long measuredSends;
        long measuredWallNanos;
        long processNanos;
        long machineNanos;
        long pressureMicros;
        boolean machineKnown = true;
        boolean pressureKnown = true;

        void addSlice(Cpu from, Cpu to) {
            measuredWallNanos += to.wallNanos() - from.wallNanos();
            processNanos += to.processNanos() - from.processNanos();
            machineKnown &= from.machineNanos() >= 0 && to.machineNanos() >= 0;
            machineNanos += to.machineNanos() - from.machineNanos();
            pressureKnown &= from.pressureMicros() >= 0 && to.pressureMicros() >= 0;
            pressureMicros += to.pressureMicros() - from.pressureMicros();
        }

        void success(long intended, long firstContent, long done) {
            ok.increment();
            total.record(done - intended);
            if (firstContent != 0) {
                ttft.record(firstContent - intended);
            }
            lastCompletion.accumulateAndGet(done, Math::max);
        }

        void error(boolean measured, String kind) {
            if (!measured) {
                warmupErrors.increment();
                warmupErrorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
                return;
            }
            errors.increment();
            errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
            lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
        }

        /** Answers per second over its measured seconds, stretched by any backlog still answered after the last slice. */
        double achievedRate(long measureEnd, int measuredSeconds) {
            long overrun = Math.max(0, lastCompletion.get() - measureEnd);
            return ok.sum() / (measuredSeconds + overrun / 1e9);
        }

        /** Share of the whole machine (all CPUs) this JVM used during its slices, in percent. */
        double jvmPercent() {
            return 100.0 * processNanos / ((double) measuredWallNanos * Runtime.getRuntime().availableProcessors());
        }

        /** Share of the whole machine that was busy (any process), in percent; NaN where that is not known. */
        double machineBusyPercent() {
            return machineKnown ? 100.0 * machineNanos / ((double) measuredWallNanos * Runtime.getRuntime().availableProcessors()) : Double.NaN;
        }

        /** Share of the time some runnable task had to wait for a CPU (Linux PSI), in percent; NaN where not known. */
        double pressurePercent() {
            return pressureKnown ? 100.0 * pressureMicros * 1000 / measuredWallNanos : Double.NaN;
        }

        /** CPU time this JVM (load generator, scripted server and, on the portal path, the portal) spent per send. */
        double jvmMicrosPerRequest() {
            return processNanos / 1000.0 / Math.max(1, measuredSends);
        }
    }

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // The scripted server runs on the JDK's HttpServer, which leaves Nagle on: its small SSE writes then
            // wait for the client's delayed ACK, ~40 ms per stream on both paths. Real model servers set
            // TCP_NODELAY, and that stall would hide what the portal adds. Read once, when HttpServer first loads,
            // which is after this class is initialised.
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static void main(String[] args) {
        BenchMain.main(args, new Options(), ChatCompletionsBench::run);
    }

    static int run(Options options, PrintStream stdout) throws InterruptedException {
        ScriptedModelServer server = null;
        TestPortal portal = null;
        HttpClient client = null;
        try {
            Target direct;
            Target viaPortal;
            try {
                progress("Setting up: scripted model server, portal on embedded PostgreSQL + in-process MongoDB ...");
                long setupStart = System.nanoTime();
                server = ScriptedModelServer.start();
                server.recordRequests(false);
                server.requireApiKey(UPSTREAM_KEY);
                portal = TestPortal.start();
                WebSession admin = portal.admin();
                portal.addProvider(admin, "scripted", server.baseUrl(), UPSTREAM_KEY, MODEL);
                HttpResponse<String> created = admin.postJson("/api/v1/me/tokens", Map.of("name", "bench"));
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("Token not created: HTTP " + created.statusCode() + " " + created.body());
                }
                String token = WebSession.parse(created.body()).path("token").asText("");
                if (token.isEmpty()) {
                    throw new IllegalStateException("The token response has no 'token' field: " + created.body());
                }
                client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(Executors.newVirtualThreadPerTaskExecutor())
                        .build();
                direct = new Target("direct", URI.create(server.baseUrl() + "/chat/completions"), "Bearer " + UPSTREAM_KEY);
                viaPortal = new Target("portal", URI.create(portal.baseUrl() + "/v1/chat/completions"), "Bearer " + token);
                for (Target target : new Target[] {direct, viaPortal}) {
                    for (boolean stream : new boolean[] {false, true}) {
                        smokeCheck(client, target, stream);
                    }
                }
                progress("Setup done in %.1f s; both paths answer, streamed and not.", (System.nanoTime() - setupStart) / 1e9);
            } catch (RuntimeException e) {
                System.err.println("Setup failed: " + e.getMessage());
                e.printStackTrace();
                return 1;
            }

            long perWorkload = 2L * (options.warmup() + options.seconds());
            progress("Two workloads of %d s (direct and portal alternating every second: 2 x %d s warm-up, 2 x %d s measured) "
                    + "at %d req/s: about %d s.", perWorkload, options.warmup(), options.seconds(), options.rate(), 2 * perWorkload);
            Workload plain = measure(client, direct, viaPortal, false, options);
            Workload streamed = measure(client, direct, viaPortal, true, options);
            printReport(stdout, options, plain, streamed);
            return 0;
        } finally {
            if (client != null) {
                client.close();
            }
            if (portal != null) {
                Path pgDir = postgresTempDir(portal);
                Path dataDir = portal.dataDir();
                portal.close();
                deleteQuietly(dataDir);
                if (pgDir != null) {
                    // The shared embedded PostgreSQL (~120 MB under /tmp) would otherwise stay behind after every run.
                    SharedPostgres.server().close();
                    deleteQuietly(pgDir);
                }
            }
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- load ----

    /** Both paths of one workload; {@code measureEnd} is the intended time of the end of the last measured slice. */
    record Workload(Phase direct, Phase portal, long measureEnd) {
    }

    /**
     * One workload, open loop at the full rate, alternating between the two paths every {@link #SLICE_SECONDS}: a
     * second to the model server directly, a second through the portal, and so on. Whatever else the machine does
     * (GC, JIT, other processes) then lands on both paths alike instead of on whichever phase ran at that moment.
     */
    static Workload measure(HttpClient client, Target direct, Target viaPortal, boolean stream, Options options)
            throws InterruptedException {
        System.gc();
        Thread.sleep(300);
        String label = stream ? "stream" : "non-stream";
        progress("  %-11s warm-up 2 x %d s, then measuring 2 x %d s ...", label, options.warmup(), options.seconds());
        HttpRequest[] requests = {request(direct, stream), request(viaPortal, stream)};
        Phase[] phases = {new Phase(), new Phase()};
        long sliceSends = (long) SLICE_SECONDS * options.rate();
        long warmupSends = 2L * options.warmup() * options.rate();
        long allSends = warmupSends + 2L * options.seconds() * options.rate();
        double intervalNanos = 1e9 / options.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureEnd = start + (long) (allSends * intervalNanos);
        Cpu sliceStart = null;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < allSends; i++) {
                long intended = start + (long) (i * intervalNanos);
                for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                // Late (after a pause of this thread or the JVM)? Send at once: the wait counts from `intended`.
                int path = (int) ((i / sliceSends) % 2);
                boolean measured = i >= warmupSends;
                if (i % sliceSends == 0) {
                    Cpu now = Cpu.now();
                    if (sliceStart != null) {
                        phases[1 - path].addSlice(sliceStart, now);
                    }
                    sliceStart = measured ? now : null;
                }
                Phase phase = phases[path];
                HttpRequest request = requests[path];
                if (measured) {
                    phase.measuredSends++;
                }
                senders.execute(() -> send(client, request, stream, intended, measured, phase));
            }
            if (sliceStart != null) {
                for (long wait = measureEnd - System.nanoTime(); wait > 0; wait = measureEnd - System.nanoTime()) {
                    LockSupport.parkNanos(wait); // the last slice ends one interval after its last send, like the others
                }
                phases[(int) (((allSends - 1) / sliceSends) % 2)].addSlice(sliceStart, Cpu.now());
            }
        } // close() waits for every answer still in flight
        for (int path = 0; path < 2; path++) {
            Phase phase = phases[path];
            progress("  %-11s %-6s p50 %.3f ms, p99 %.3f ms, %.0f req/s, %d errors%s; CPU: this JVM %.0f%%, machine busy %.0f%%, pressure %.0f%%",
                    label, path == 0 ? "direct" : "portal", phase.total.ms(50), phase.total.ms(99), phase.achievedRate(measureEnd, options.seconds()),
                    phase.errors.sum(), phase.warmupErrors.sum() > 0 ? " (+" + phase.warmupErrors.sum() + " during warm-up)" : "",
                    phase.jvmPercent(), phase.machineBusyPercent(), phase.pressurePercent());
        }
        return new Workload(phases[0], phases[1], measureEnd);
    }

    static void send(HttpClient client, HttpRequest request, boolean stream, long intended, boolean measured, Phase phase) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    body.readAllBytes();
                    phase.error(measured, "HTTP " + response.statusCode());
                    return;
                }
                long firstContent = 0;
                boolean complete;
                if (stream) {
                    complete = false;
                    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 2048);
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (!line.startsWith("data:")) {
                            continue;
                        }
                        if (firstContent == 0 && hasContent(line)) {
                            firstContent = System.nanoTime();
                        }
                        if (line.endsWith("[DONE]")) {
                            complete = true; // and read on to the end of the response: that is "total"
                        }
                    }
                } else {
                    complete = new String(body.readAllBytes(), StandardCharsets.UTF_8).contains(EXPECTED);
                }
                long done = System.nanoTime();
                if (!complete || (stream && firstContent == 0)) {
                    phase.error(measured, stream ? "stream without content or [DONE]" : "answer without the echoed text");
                } else if (measured) {
                    phase.success(intended, firstContent, done);
                }
            }
        } catch (HttpTimeoutException e) {
            phase.error(measured, "timeout");
        } catch (IOException e) {
            phase.error(measured, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            phase.error(measured, "interrupted");
        }
    }

    /** An SSE data line carrying a non-empty {@code delta.content} (the portal's role-only first chunk has ""). */
    static boolean hasContent(String line) {
        int at = line.indexOf("\"content\":\"");
        return at >= 0 && at + 11 < line.length() && line.charAt(at + 11) != '"';
    }

    static HttpRequest request(Target target, boolean stream) {
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}],\"stream\":" + stream + "}";
        return HttpRequest.newBuilder(target.uri())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("Authorization", target.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static void smokeCheck(HttpClient client, Target target, boolean stream) {
        try {
            HttpResponse<String> response = client.send(request(target, stream), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean good = response.statusCode() == 200
                    && (stream ? body.contains("[DONE]") && body.lines().anyMatch(ChatCompletionsBench::hasContent) : body.contains(EXPECTED));
            if (!good) {
                throw new IllegalStateException((stream ? "Streamed" : "Plain") + " request via " + target.name() + " failed: HTTP "
                        + response.statusCode() + " " + body.substring(0, Math.min(body.length(), 500)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Request via " + target.name() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- report ----

    record Row(String workload, Latency direct, Latency portal, Workload phases) {
    }

    static void printReport(PrintStream stdout, Options options, Workload plain, Workload streamed) {
        Phase directPlain = plain.direct();
        Phase portalPlain = plain.portal();
        Phase directStream = streamed.direct();
        Phase portalStream = streamed.portal();
        Row[] rows = {
            new Row("non-stream total", directPlain.total, portalPlain.total, plain),
            new Row("stream TTFT", directStream.ttft, portalStream.ttft, streamed),
            new Row("stream total", directStream.total, portalStream.total, streamed),
        };
        Runtime runtime = Runtime.getRuntime();
        StringBuilder out = new StringBuilder();
        out.append('\n');
        out.append(String.format(Locale.ROOT, "Gatehouse POST /v1/chat/completions: latency added by the portal%n"));
        out.append(String.format(Locale.ROOT, "open loop at %d req/s; per workload direct and portal alternate every %d s: "
                + "%d s measured per path after %d s warm-up per path (discarded)%n", options.rate(), SLICE_SECONDS,
                options.seconds(), options.warmup()));
        out.append(String.format(Locale.ROOT, "latency in ms from the intended send time; added = portal - direct at the same percentile%n"));
        out.append(String.format(Locale.ROOT, "JDK %s, %d CPUs, max heap %d MB; load generator, portal, scripted model server "
                + "and embedded PostgreSQL share this machine; scripted server with TCP_NODELAY=%s%n%n", Runtime.version(), runtime.availableProcessors(),
                runtime.maxMemory() / (1024 * 1024), System.getProperty("sun.net.httpserver.nodelay")));
        String header1 = String.format(Locale.ROOT, "%-17s | %s | %s | %s | %s | %s | %s",
                "", center("direct", 24), center("portal", 24), center("added", 17), center("ratio", 6),
                center("achieved req/s", 15), center("errors", 13));
        String header2 = String.format(Locale.ROOT, "%-17s | %7s %7s %8s | %7s %7s %8s | %8s %8s | %6s | %7s %7s | %6s %6s",
                "workload", "p50", "p99", "p99.9", "p50", "p99", "p99.9", "p50", "p99", "p50", "direct", "portal", "direct", "portal");
        out.append(header1).append('\n');
        out.append(header2).append('\n');
        out.append("-".repeat(header2.length())).append('\n');
        for (Row row : rows) {
            double dP50 = row.direct().ms(50);
            double pP50 = row.portal().ms(50);
            out.append(String.format(Locale.ROOT, "%-17s | %7.3f %7.3f %8.3f | %7.3f %7.3f %8.3f | %+8.3f %+8.3f | %6s | %7.0f %7.0f | %6d %6d%n",
                    row.workload(),
                    dP50, row.direct().ms(99), row.direct().ms(99.9),
                    pP50, row.portal().ms(99), row.portal().ms(99.9),
                    pP50 - dP50, row.portal().ms(99) - row.direct().ms(99),
                    dP50 > 0 ? String.format(Locale.ROOT, "%.2fx", pP50 / dP50) : "n/a",
                    row.phases().direct().achievedRate(row.phases().measureEnd(), options.seconds()),
                    row.phases().portal().achievedRate(row.phases().measureEnd(), options.seconds()),
                    row.phases().direct().errors.sum(), row.phases().portal().errors.sum()));
        }
        out.append(String.format(Locale.ROOT, "(samples: non-stream %d direct / %d portal, stream %d direct / %d portal; "
                        + "max non-stream %.3f / %.3f ms, max stream total %.3f / %.3f ms)%n",
                directPlain.total.count(), portalPlain.total.count(),
                directStream.total.count(), portalStream.total.count(),
                directPlain.total.maxMs(), portalPlain.total.maxMs(),
                directStream.total.maxMs(), portalStream.total.maxMs()));
        String[] names = {"non-stream direct", "non-stream portal", "stream direct", "stream portal"};
        Phase[] phases = {directPlain, portalPlain, directStream, portalStream};
        for (int i = 0; i < phases.length; i++) {
            if (phases[i].errors.sum() > 0) {
                out.append(String.format(Locale.ROOT, "errors, %s: %s%n", names[i], counts(phases[i].errorKinds)));
            }
            if (phases[i].warmupErrors.sum() > 0) {
                out.append(String.format(Locale.ROOT, "errors during warm-up (not counted), %s: %s%n", names[i],
                        counts(phases[i].warmupErrorKinds)));
            }
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "CPU in the measured windows (100%% = all %d CPUs of the machine)%n", runtime.availableProcessors()));
        String cpuHeader = String.format(Locale.ROOT, "%-17s | %9s | %9s | %9s | %s", "phase", "this JVM", "others", "pressure",
                "JVM CPU per request");
        out.append(cpuHeader).append('\n').append("-".repeat(cpuHeader.length())).append('\n');
        for (int i = 0; i < phases.length; i++) {
            Phase p = phases[i];
            out.append(String.format(Locale.ROOT, "%-17s | %8.1f%% | %8.1f%% | %8.1f%% | %6.0f µs%n", names[i], p.jvmPercent(),
                    Math.max(0, p.machineBusyPercent() - p.jvmPercent()), p.pressurePercent(), p.jvmMicrosPerRequest()));
        }
        out.append(String.format(Locale.ROOT, "portal's own CPU per request (portal phase minus direct phase): non-stream ~%.0f µs, stream ~%.0f µs%n",
                portalPlain.jvmMicrosPerRequest() - directPlain.jvmMicrosPerRequest(),
                portalStream.jvmMicrosPerRequest() - directStream.jvmMicrosPerRequest()));
        out.append("('others': CPU of every other process (embedded PostgreSQL, anything else running); 'pressure': share of the time\n"
                + " some runnable thread waited for a CPU (Linux PSI). Both well above zero mean a contended machine and inflated tails.)\n");

        double addedP50 = portalPlain.total.ms(50) - directPlain.total.ms(50);
        double addedP99 = portalPlain.total.ms(99) - directPlain.total.ms(99);
        double addedTtftP50 = portalStream.ttft.ms(50) - directStream.ttft.ms(50);
        double addedTtftP99 = portalStream.ttft.ms(99) - directStream.ttft.ms(99);
        out.append('\n');
        out.append("DESIGN target (reference): added p50 < 1 ms and added p99 < 5 ms at 500 req/s; streaming <= 2 ms added to TTFT.\n");
        out.append(String.format(Locale.ROOT, "This run at %d req/s%s: non-stream added p50 %.3f ms (%s), added p99 %.3f ms (%s); "
                        + "stream TTFT added p50 %.3f ms (%s), p99 %.3f ms.%n",
                options.rate(), options.rate() == 500 ? "" : " (the target is stated for 500 req/s)",
                addedP50, verdict(addedP50 < 1), addedP99, verdict(addedP99 < 5), addedTtftP50, verdict(addedTtftP50 <= 2), addedTtftP99));
        stdout.print(out);
        stdout.flush();
    }

    private static Map<String, Long> counts(Map<String, LongAdder> kinds) {
        Map<String, Long> sorted = new TreeMap<>();
        kinds.forEach((kind, count) -> sorted.put(kind, count.sum()));
        return sorted;
    }

    private static String center(String text, int width) {
        int left = Math.max(0, (width - text.length()) / 2);
        return " ".repeat(left) + text + " ".repeat(Math.max(0, width - text.length() - left));
    }

    private static String verdict(boolean met) {
        return met ? "within target" : "OVER target";
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    /** The temporary directory SharedPostgres made for its cluster, or null if it cannot be told for sure. */
    private static Path postgresTempDir(TestPortal portal) {
        try (Connection sql = portal.sql(); Statement statement = sql.createStatement();
             ResultSet result = statement.executeQuery("show data_directory")) {
            Path parent = result.next() ? Path.of(result.getString(1)).getParent() : null;
            return parent != null && parent.getFileName().toString().startsWith("gatehouse-test-pg") ? parent : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; leaving it behind is harmless
        }
    }
}
