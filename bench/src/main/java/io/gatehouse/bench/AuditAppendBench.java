package io.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.BaselineAuditTrail;
import io.gatehouse.audit.ChainVerifier;
import io.gatehouse.audit.Origin;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.micronaut.jdbc.DataSourceResolver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Audit append throughput and latency: {@link AuditTrail#record} called by 1, 8, 32, 128 ... concurrent writers
 * (virtual threads, closed loop: each writer appends its next event as soon as the last one is acknowledged) on a
 * real portal. Latency is the time from the call to the committed acknowledgement (the returned seq). Each writer
 * count runs a warm-up (discarded), then the measured seconds; a call counts when it started inside the measured window.
 *
 * <p>Two databases, each with a portal of its own (see {@link Database}): the embedded PostgreSQL as the portal runs
 * it, where a commit does not wait for the disk, and the same server with PostgreSQL's durable defaults, where it
 * does. With {@code --compare} the writer as it was before tuning ({@link BaselineAuditTrail}) and the portal's
 * {@link AuditTrail} take turns every {@link #SLICE} on the same chain, so both see the same machine.
 *
 * <p>After each writer count the benchmark checks what a fast but lossy writer would get wrong: every acknowledged
 * seq is a row of this run in {@code audit_events} and the run has no rows that were not acknowledged (so nothing
 * was lost or invented), and {@link ChainVerifier#verify()} walks the whole table intact, its {@code rowsChecked}
 * equal to the table's row count. It also reports rows per commit (rows sharing one transaction id), CPU of this JVM
 * (portal + writers) and of everything else (PostgreSQL, other work), and the load average: the machine is shared.
 *
 * <p>Not a test and not part of any test run; start it with
 * {@code bench/run-audit.sh [--seconds N] [--warmup N] [--writers 1,8,32,128] [--database embedded|durable|both] [--compare]}.
 */
public final class AuditAppendBench {

    static final int TARGET_ROWS_PER_SECOND = 5_000;
    /** Measured time is sampled (CPU) in slices this long; with --compare the two append paths take turns by slice. */
    static final Duration SLICE = Duration.ofSeconds(1);
    private static final Duration HIGHEST = Duration.ofSeconds(60);

    private AuditAppendBench() {
    }

    @Command(name = "bench/run-audit.sh", sortOptions = false, sortSynopsis = false,
            description = "Audit append throughput and latency per number of concurrent writers, on a real portal.")
    static final class Options implements BenchMain.Options {

        /** The --database choices: one of the two databases, or both in turn. */
        enum Databases {
            EMBEDDED(List.of(Database.EMBEDDED)), DURABLE(List.of(Database.DURABLE)), BOTH(List.of(Database.values()));

            final List<Database> databases;

            Databases(List<Database> databases) {
                this.databases = databases;
            }
        }

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "20",
                description = "measured seconds per writer count and append path (default ${DEFAULT-VALUE})")
        private int seconds;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
                description = "warm-up seconds per writer count and append path, discarded (default ${DEFAULT-VALUE})")
        private int warmup;

        @Option(names = "--writers", paramLabel = "N", split = ",", defaultValue = "1,8,32,128",
                description = "concurrent writers, comma-separated, each run in turn (default ${DEFAULT-VALUE})")
        private List<Integer> writers;

        @Option(names = "--database", paramLabel = "embedded|durable|both", defaultValue = "both", description = {
                "embedded: the portal's embedded PostgreSQL as it runs it (fsync and synchronous_commit off);",
                "durable: the same server with fsync and synchronous_commit on, as production servers run;",
                "both (default): one after the other, each with a portal of its own"})
        private Databases database;

        @Option(names = "--compare", description = {
                "two append paths side by side, alternating every second on the same chain: \"before\", the writer as "
                        + "of commit 4e0b185 (BaselineAuditTrail), and \"after\", the portal's AuditTrail"})
        private boolean compare;

        @Override
        public void check(CommandLine commandLine) {
            BenchMain.requireWithin(commandLine, "--seconds", seconds, 1, 3_600);
            BenchMain.requireWithin(commandLine, "--warmup", warmup, 0, 3_600);
            for (int count : writers) {
                BenchMain.requireWithin(commandLine, "--writers", count, 1, 10_000);
            }
        }

        int seconds() {
            return seconds;
        }

        int warmup() {
            return warmup;
        }

        List<Integer> writers() {
            return List.copyOf(writers);
        }

        List<Database> databases() {
            return database.databases;
        }

        boolean compare() {
            return compare;
        }
    }

    public static void main(String[] args) {
        BenchMain.main(args, new Options(), AuditAppendBench::run);
    }

    static int run(Options options, PrintStream stdout) throws Exception {
        String tag = Long.toHexString(System.currentTimeMillis());
        List<Section> sections = new ArrayList<>();
        boolean sharedStarted = false;
        try {
            for (Database database : options.databases()) {
                sharedStarted = true; // every TestPortal takes a database in the shared embedded PostgreSQL
                try (Setup setup = Setup.start(database)) {
                    TestPortal portal = setup.portal();
                    AuditTrail trail = portal.bean(AuditTrail.class);
                    ChainVerifier verifier = portal.bean(ChainVerifier.class);
                    BaselineAuditTrail baseline = null;
                    List<Appender> appenders = new ArrayList<>();
                    if (options.compare()) {
                        // Its own writer thread on the portal's pool, appending to the same chain as the bean.
                        baseline = new BaselineAuditTrail(portal.bean(DataSource.class), portal.bean(DataSourceResolver.class),
                                portal.bean(ObjectMapper.class), portal.clock, Duration.ofSeconds(10));
                        appenders.add(new Appender("before", baseline::record));
                        appenders.add(new Appender("after", trail::record));
                    } else {
                        appenders.add(new Appender("current", trail::record));
                    }
                    try {
                        List<Result> results = new ArrayList<>();
                        for (int writers : options.writers()) {
                            // Each writer count's rows carry their own marker in the request id (a count may come twice).
                            results.add(measure(setup.sql(), appenders, verifier, writers,
                                    "bench-" + tag + "-" + database.label + "-" + results.size() + "w" + writers + "-", options));
                        }
                        sections.add(new Section(database, setup.settings(), results));
                    } finally {
                        if (baseline != null) {
                            baseline.stop();
                        }
                    }
                }
            }
        } finally {
            Path pgDir = sharedStarted ? sharedPostgresDir() : null;
            if (pgDir != null) {
                // The shared embedded PostgreSQL (~120 MB under /tmp, plus this run's rows) would otherwise stay behind.
                SharedPostgres.server().close();
                deleteQuietly(pgDir);
            }
        }
        printReport(stdout, options, sections);
        return sections.stream().flatMap(section -> section.results().stream()).allMatch(Result::checksPassed) ? 0 : 1;
    }

    /** A way to the portal's database as its owner, for the checks. */
    @FunctionalInterface
    interface Sql {
        Connection open() throws SQLException;
    }

    /**
     * Which PostgreSQL the portal runs on. EMBEDDED: the server the portal starts when no GATEHOUSE_DATABASE_URL is set
     * (zonky's embedded PostgreSQL, which starts it with {@code -F}, i.e. fsync off, and synchronous_commit off: a
     * commit is acknowledged before its WAL reaches the disk). DURABLE: the same binaries started with fsync and
     * synchronous_commit on, PostgreSQL's own defaults and what a production server runs: every commit waits for
     * its WAL to be flushed to disk.
     */
    enum Database {
        EMBEDDED("embedded"), DURABLE("durable");

        final String label;

        Database(String label) {
            this.label = label;
        }
    }

    /** The portal on one database, and the server when the benchmark started its own. */
    record Setup(Database database, TestPortal portal, Sql sql, Map<String, String> settings, AutoCloseable server, Path serverDir,
                 Thread clockTicker) implements AutoCloseable {

        static Setup start(Database database) throws IOException, SQLException {
            progress("Setting up: portal on %s PostgreSQL ...", database.label);
            long started = System.nanoTime();
            if (database == Database.EMBEDDED) {
                TestPortal portal = TestPortal.start();
                Sql sql = portal::sql;
                return new Setup(database, portal, sql, settings(sql, started), null, null, tick(portal));
            }
            Path dir = Files.createTempDirectory("gatehouse-bench-pg");
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server = null;
            try {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(dir.resolve("cluster"))
                        .setOverrideWorkingDirectory(dir.resolve("pg-runtime").toFile())
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        // Later -c options override zonky's -F (fsync off) and its synchronous_commit=off.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .start();
                String base = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/";
                try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", ""); Statement s = c.createStatement()) {
                    s.execute("create database bench");
                }
                String url = base + "bench";
                TestPortal portal = TestPortal.start(Map.of("GATEHOUSE_DATABASE_URL", url, "GATEHOUSE_DATABASE_USER", "postgres"));
                Sql sql = () -> DriverManager.getConnection(url, "postgres", "");
                return new Setup(database, portal, sql, settings(sql, started), server, dir, tick(portal));
            } catch (IOException | SQLException | RuntimeException e) {
                closeQuietly(server);
                deleteQuietly(dir);
                throw e;
            }
        }

        /**
         * The test portal's clock stands still unless moved; rows all stamped with one instant would make the
         * occurred_at indexes cheaper than in production. This moves it on with real time, every millisecond.
         */
        private static Thread tick(TestPortal portal) {
            return Thread.ofPlatform().daemon().name("bench-clock").start(() -> {
                long last = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(1_000_000);
                    long now = System.nanoTime();
                    portal.clock.advance(Duration.ofNanos(now - last));
                    last = now;
                }
            });
        }

        private static Map<String, String> settings(Sql sql, long started) throws SQLException {
            Map<String, String> settings = databaseSettings(sql);
            progress("Setup done in %.1f s; PostgreSQL %s", (System.nanoTime() - started) / 1e9, settings);
            return settings;
        }

        @Override
        public void close() {
            clockTicker.interrupt();
            portal.close();
            if (server != null) {
                closeQuietly(server);
                deleteQuietly(serverDir);
            }
        }
    }

    /** One database's results, a table in the report. */
    record Section(Database database, Map<String, String> settings, List<Result> results) {
    }

    // ---- load ----

    /** An append path under test: the portal's {@link AuditTrail} or, with --compare, the writer before tuning. */
    record Appender(String name, ToLongFunction<AuditEvent> append) {
    }

    /** What one writer saw on one appender; only that writer touches it until the run is over. */
    static final class Tally {
        final Latency latency = Latency.of(TimeUnit.MICROSECONDS, HIGHEST);
        long measuredAcked;
        long measuredErrors;
        long warmupErrors;
        String lastError;
    }

    /** One writer's tallies (one per appender) and every seq it got back. */
    static final class Writer {
        final Tally[] tallies;
        long[] acked = new long[1 << 12];
        int ackedCount;

        Writer(int appenders) {
            tallies = Stream.generate(Tally::new).limit(appenders).toArray(Tally[]::new);
        }

        void ack(long seq) {
            if (ackedCount == acked.length) {
                acked = Arrays.copyOf(acked, acked.length * 2);
            }
            acked[ackedCount++] = seq;
        }
    }

    /**
     * When what runs: warm-up, then the measured window, both in slices of {@link #SLICE}. With two appenders the
     * slices alternate between them, so the machine's other work falls on both alike; each gets {@code warmup} and
     * {@code seconds} of its own.
     */
    record Schedule(long start, long measureStart, long end, int appenders) {

        static Schedule of(long start, Options options, int appenders) {
            long measureStart = start + appenders * TimeUnit.SECONDS.toNanos(options.warmup());
            return new Schedule(start, measureStart, measureStart + appenders * TimeUnit.SECONDS.toNanos(options.seconds()), appenders);
        }

        int appenderAt(long time) {
            return (int) (((time - start) / SLICE.toNanos()) % appenders);
        }
    }

    /** Per appender, for one writer count. */
    record Side(String appender, Latency latency, double rowsPerSecond, long errors, long warmupErrors, String lastError,
                double rowsPerCommit, double jvmPercent, double othersPercent, double pressurePercent) {
    }

    /** What the checks found after one writer count (all appenders together: they extend one chain). */
    record Checks(long acknowledged, long runRows, long missing, long unacknowledged, long duplicates,
                  ChainVerifier.Verification verification, long tableRows) {

        boolean nothingLost() {
            return missing == 0 && duplicates == 0 && runRows == acknowledged && unacknowledged == 0;
        }

        boolean chainIntact() {
            return verification.intact() && verification.rowsChecked() == tableRows;
        }
    }

    record Result(int writers, List<Side> sides, Checks checks, String loadBefore, String loadAfter) {

        boolean checksPassed() {
            return checks.nothingLost() && checks.chainIntact() && sides.stream().allMatch(s -> s.errors() == 0 && s.warmupErrors() == 0);
        }
    }

    static Result measure(Sql sql, List<Appender> appenders, ChainVerifier verifier, int count, String marker, Options options)
            throws InterruptedException, SQLException {
        System.gc();
        String loadBefore = loadAverage();
        int n = appenders.size();
        progress("%4d writer(s): %d s warm-up, %d s measured%s ...", count, options.warmup(), options.seconds(),
                n > 1 ? " per append path, the paths alternating every " + SLICE.toSeconds() + " s" : "");
        Writer[] writers = new Writer[count];
        Thread[] threads = new Thread[count];
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        Schedule[] schedule = new Schedule[1]; // set before `go` opens
        for (int i = 0; i < count; i++) {
            Writer writer = writers[i] = new Writer(n);
            List<Events> events = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                events.add(new Events(marker + appenders.get(a).name() + "-" + i + "-", i));
            }
            threads[i] = Thread.ofVirtual().name("audit-bench-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                append(appenders, events, writer, schedule[0]);
            });
        }
        ready.await();
        schedule[0] = Schedule.of(System.nanoTime(), options, n);
        Schedule plan = schedule[0];
        go.countDown();
        // CPU per appender over its measured slices, sampled at each slice boundary.
        double[][] cpu = new double[n][3];
        long slices = (plan.end() - plan.measureStart()) / SLICE.toNanos();
        sleepUntil(plan.measureStart());
        Cpu from = Cpu.now();
        for (long slice = 1; slice <= slices; slice++) {
            long boundary = plan.measureStart() + slice * SLICE.toNanos();
            int a = plan.appenderAt(boundary - 1);
            sleepUntil(boundary);
            Cpu to = Cpu.now();
            cpu[a][0] += to.jvmPercentSince(from);
            cpu[a][1] += Math.max(0, to.machineBusyPercentSince(from) - to.jvmPercentSince(from));
            cpu[a][2] += to.pressurePercentSince(from);
            from = to;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        String loadAfter = loadAverage();

        List<Side> sides = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            Latency latency = Latency.of(TimeUnit.MICROSECONDS, HIGHEST);
            long acked = 0;
            long errors = 0;
            long warmupErrors = 0;
            String lastError = null;
            for (Writer w : writers) {
                Tally t = w.tallies[a];
                latency.add(t.latency);
                acked += t.measuredAcked;
                errors += t.measuredErrors;
                warmupErrors += t.warmupErrors;
                lastError = t.lastError != null ? t.lastError : lastError;
            }
            double slicesEach = (double) slices / n;
            sides.add(new Side(appenders.get(a).name(), latency, acked / (double) options.seconds(), errors, warmupErrors, lastError,
                    rowsPerCommit(sql, marker + appenders.get(a).name() + "-"), cpu[a][0] / slicesEach, cpu[a][1] / slicesEach,
                    cpu[a][2] / slicesEach));
            progress("%4d writer(s)%s: %.0f rows/s, p50 %.2f ms, p99 %.2f ms, %d errors", count, n > 1 ? ", " + appenders.get(a).name() : "",
                    sides.getLast().rowsPerSecond(), latency.ms(50), latency.ms(99), errors + warmupErrors);
        }
        return new Result(count, sides, check(sql, verifier, writers, marker, count), loadBefore, loadAfter);
    }

    /** Nothing lost (the run's rows are exactly the acknowledged seqs) and the whole chain verifies. */
    static Checks check(Sql sql, ChainVerifier verifier, Writer[] writers, String marker, int count) throws SQLException {
        long[] acked = new long[Arrays.stream(writers).mapToInt(w -> w.ackedCount).sum()];
        int at = 0;
        for (Writer w : writers) {
            System.arraycopy(w.acked, 0, acked, at, w.ackedCount);
            at += w.ackedCount;
        }
        Arrays.sort(acked);
        long duplicates = 0;
        for (int i = 1; i < acked.length; i++) {
            if (acked[i] == acked[i - 1]) {
                duplicates++;
            }
        }
        long[] stored = runSeqs(sql, marker);
        long[] compared = compare(acked, stored);
        long checkStart = System.nanoTime();
        ChainVerifier.Verification verification = verifier.verify();
        long tableRows = tableRows(sql);
        progress("%4d writer(s): %d acknowledged, %d rows of this run, %d missing, %d not acknowledged; chain %s, %d rows checked of %d "
                        + "(verified in %.1f s)", count, acked.length, stored.length, compared[0], compared[1],
                verification.intact() ? "intact" : "BROKEN: " + verification.problem(), verification.rowsChecked(), tableRows,
                (System.nanoTime() - checkStart) / 1e9);
        return new Checks(acked.length, stored.length, compared[0], compared[1], duplicates, verification, tableRows);
    }

    /**
     * One writer's closed loop: append on the appender whose slice it is, wait for the acknowledgement, repeat until
     * the measured window is over. A call counts for the slice (and phase) it started in.
     */
    static void append(List<Appender> appenders, List<Events> events, Writer writer, Schedule schedule) {
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= schedule.end()) {
                return;
            }
            boolean measured = t0 >= schedule.measureStart();
            int a = schedule.appenderAt(t0);
            Tally tally = writer.tallies[a];
            AuditEvent event = events.get(a).next();
            long seq;
            try {
                seq = appenders.get(a).append().applyAsLong(event);
            } catch (RuntimeException e) { // AuditUnavailableException or anything else: not acknowledged, counted
                if (measured) {
                    tally.measuredErrors++;
                } else {
                    tally.warmupErrors++;
                }
                tally.lastError = e.toString();
                continue;
            }
            long done = System.nanoTime();
            writer.ack(seq);
            if (measured) {
                tally.latency.record(done - t0);
                tally.measuredAcked++;
            }
        }
    }

    /**
     * Events like the ones the portal writes: a person's id and email, their address, browser user agent and the
     * request id, a target and connector, and about five small details (names, counts, a SHA-256). The request id
     * starts with the run's marker, which is how the checks find the run's rows.
     */
    static final class Events {
        private static final String[] ACTIONS = {"tool.call", "model.call", "auth.sign_in", "connector.updated", "role.updated"};
        private static final String[] CONNECTORS = {"crm", "billing", "wiki", "tickets"};
        private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:142.0) Gecko/20100101 Firefox/142.0",
            "gatehouse-cli/0.1 (python-httpx/0.28)"};
        private static final List<UUID> PEOPLE = Stream.generate(UUID::randomUUID).limit(200).toList();

        private final String requestPrefix;
        private final SplittableRandom random;
        private final byte[] hash = new byte[32];
        private long n;

        Events(String requestPrefix, long seed) {
            this.requestPrefix = requestPrefix;
            this.random = new SplittableRandom(seed);
        }

        AuditEvent next() {
            int person = random.nextInt(PEOPLE.size());
            String connector = CONNECTORS[random.nextInt(CONNECTORS.length)];
            random.nextBytes(hash);
            return AuditEvent.of(ACTIONS[random.nextInt(ACTIONS.length)])
                    .actor(PEOPLE.get(person), "person" + person + "@example.com")
                    .origin(new Origin("198.51.100." + (person % 250 + 1), USER_AGENTS[person % USER_AGENTS.length], requestPrefix + n++))
                    .target("tool", connector + "__run_query")
                    .connector(connector)
                    .detail("tool", "run_query")
                    .detail("arguments_sha256", HexFormat.of().formatHex(hash))
                    .detail("rows", random.nextInt(500))
                    .detail("duration_ms", random.nextInt(2_000))
                    .detail("truncated", random.nextInt(10) == 0)
                    .build();
        }
    }

    // ---- checks ----

    /** Every seq with this run's marker, in order. */
    static long[] runSeqs(Sql database, String marker) throws SQLException {
        try (Connection sql = database.open();
             PreparedStatement select = sql.prepareStatement("select seq from audit_events where request_id like ? order by seq")) {
            sql.setAutoCommit(false); // stream with a fetch size
            select.setString(1, marker + "%");
            select.setFetchSize(10_000);
            long[] seqs = new long[1 << 16];
            int n = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (n == seqs.length) {
                        seqs = Arrays.copyOf(seqs, n * 2);
                    }
                    seqs[n++] = rs.getLong(1);
                }
            }
            sql.rollback();
            return Arrays.copyOf(seqs, n);
        }
    }

    /** {acknowledged seqs with no row, rows that were never acknowledged}; both arrays sorted. */
    static long[] compare(long[] acked, long[] stored) {
        long missing = 0;
        long extra = 0;
        int i = 0;
        int j = 0;
        while (i < acked.length || j < stored.length) {
            if (j >= stored.length || (i < acked.length && acked[i] < stored[j])) {
                missing++;
                i++;
            } else if (i >= acked.length || stored[j] < acked[i]) {
                extra++;
                j++;
            } else {
                i++;
                j++;
            }
        }
        return new long[] {missing, extra};
    }

    /** Mean rows per transaction: rows that share an xmin were inserted by one commit (one group-commit batch). */
    static double rowsPerCommit(Sql database, String marker) throws SQLException {
        try (Connection sql = database.open();
             PreparedStatement select = sql.prepareStatement(
                     "select count(*), count(distinct xmin::text) from audit_events where request_id like ?")) {
            select.setString(1, marker + "%");
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(2) == 0 ? Double.NaN : rs.getLong(1) / (double) rs.getLong(2);
            }
        }
    }

    static long tableRows(Sql database) throws SQLException {
        try (Connection sql = database.open(); Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("select count(*) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The server settings that decide what a commit costs; the embedded server's defaults are not PostgreSQL's. */
    static Map<String, String> databaseSettings(Sql database) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection sql = database.open(); Statement s = sql.createStatement()) {
            for (String name : List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method", "commit_delay")) {
                try (ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        return settings;
    }

    // ---- report ----

    static void printReport(PrintStream stdout, Options options, List<Section> sections) {
        Runtime runtime = Runtime.getRuntime();
        StringBuilder out = new StringBuilder();
        out.append('\n');
        out.append("Gatehouse audit trail: AuditTrail.record throughput and latency\n");
        out.append(String.format(Locale.ROOT, "closed loop, each writer a virtual thread appending its next event when the last is acknowledged; "
                + "%d s warm-up (discarded), then %d s measured per writer count%s%n", options.warmup(), options.seconds(),
                options.compare() ? " and append path, the paths alternating every " + SLICE.toSeconds() + " s on one chain" : ""));
        out.append("latency in ms from the call to the committed acknowledgement (the returned seq); events with actor, ip, user agent,\n"
                + "request id, target, connector and 5 details\n");
        if (options.compare()) {
            out.append("before = the writer as of commit 4e0b185 (lock and head in two round trips, one INSERT per row in a JDBC batch);\n"
                    + "after = the portal's AuditTrail (lock and head in one round trip, the batch as one INSERT from column arrays)\n");
        }
        out.append(String.format(Locale.ROOT, "JDK %s, %d CPUs, max heap %d MB; writers, portal and PostgreSQL share this machine%n",
                Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024)));
        for (Section section : sections) {
            out.append('\n');
            out.append(String.format(Locale.ROOT, "%s PostgreSQL %s%n", section.database().label, section.settings()));
            String header = String.format(Locale.ROOT, "%7s | %-7s | %8s | %7s %7s %7s %8s | %6s | %8s | %5s %6s %8s | %-11s | %s",
                    "writers", "path", "rows/s", "p50", "p90", "p99", "max", "errors", "rows/txn", "JVM", "others", "pressure", "load 1m",
                    "checks");
            out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
            for (Result r : section.results()) {
                for (Side side : r.sides()) {
                    boolean first = side == r.sides().getFirst();
                    out.append(String.format(Locale.ROOT, "%7s | %-7s | %8.0f | %7.2f %7.2f %7.2f %8.2f | %6d | %8.1f | %4.0f%% %5.0f%% %7.0f%% | %-11s | %s%n",
                            first ? r.writers() : "", side.appender(), side.rowsPerSecond(), side.latency().ms(50), side.latency().ms(90),
                            side.latency().ms(99), side.latency().maxMs(), side.errors(), side.rowsPerCommit(), side.jvmPercent(),
                            side.othersPercent(), side.pressurePercent(), first ? r.loadBefore() + ">" + r.loadAfter() : "",
                            first ? checks(r.checks()) : ""));
                }
            }
            for (Result r : section.results()) {
                for (Side side : r.sides()) {
                    if (side.lastError() != null) {
                        out.append(String.format(Locale.ROOT, "errors with %d writers, %s: %d measured, %d during warm-up; last: %s%n", r.writers(),
                                side.appender(), side.errors(), side.warmupErrors(), side.lastError()));
                    }
                }
            }
        }
        out.append('\n');
        out.append("rows/s: acknowledged appends that started in the path's measured seconds, per second; rows/txn: rows per commit\n"
                + "(group commit); JVM: this JVM's CPU (writers + portal), others: every other process (PostgreSQL, other work), 100% =\n"
                + "all CPUs; pressure: share of the time some runnable thread waited for a CPU (Linux PSI); load 1m: before > after.\n"
                + "checks: rows = every row of the run is an acknowledged seq and every acknowledged seq is a row (nothing lost);\n"
                + "chain = ChainVerifier intact with rowsChecked equal to the rows in audit_events.\n");
        out.append('\n');
        out.append(String.format(Locale.ROOT, "Target (issue 7): >= %d rows/s with nothing lost.%n", TARGET_ROWS_PER_SECOND));
        for (Section section : sections) {
            boolean allPassed = section.results().stream().allMatch(Result::checksPassed);
            List<String> best = new ArrayList<>();
            for (int a = 0; a < section.results().getFirst().sides().size(); a++) {
                int index = a;
                Result top = section.results().stream().max(Comparator.comparingDouble(r -> r.sides().get(index).rowsPerSecond())).orElseThrow();
                Side side = top.sides().get(a);
                best.add(String.format(Locale.ROOT, "%s best %.0f rows/s with %d writers (%s)", side.appender(), side.rowsPerSecond(),
                        top.writers(), side.rowsPerSecond() >= TARGET_ROWS_PER_SECOND ? "within target" : "BELOW target"));
            }
            out.append(String.format(Locale.ROOT, "%s: %s; checks %s.%n", section.database().label, String.join(", ", best),
                    allPassed ? "passed for every writer count" : "FAILED (see above)"));
        }
        stdout.print(out);
        stdout.flush();
    }

    static String checks(Checks c) {
        String rows = c.nothingLost()
                ? String.format(Locale.ROOT, "rows %d = acked %d", c.runRows(), c.acknowledged())
                : String.format(Locale.ROOT, "ROWS %d vs acked %d: %d missing, %d not acked, %d duplicate seqs", c.runRows(), c.acknowledged(),
                        c.missing(), c.unacknowledged(), c.duplicates());
        String chain = c.chainIntact()
                ? String.format(Locale.ROOT, "chain intact, %d of %d rows", c.verification().rowsChecked(), c.tableRows())
                : String.format(Locale.ROOT, "CHAIN %s, %d of %d rows checked%s", c.verification().intact() ? "intact" : "BROKEN",
                        c.verification().rowsChecked(), c.tableRows(), c.verification().problem() == null ? "" : ": " + c.verification().problem());
        return rows + "; " + chain;
    }

    // ---- helpers ----

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(wait); // pacing the benchmark's phases, not synchronising with the writers
        }
    }

    /** The 1-minute load average (Linux), or "n/a": other work on this 2-CPU machine moves the numbers. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    /** The temporary directory SharedPostgres made for its cluster, or null if it cannot be told for sure. */
    private static Path sharedPostgresDir() {
        try (Connection sql = DriverManager.getConnection(SharedPostgres.server().jdbcUrl("postgres"), SharedPostgres.server().user(), "");
             Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("show data_directory")) {
            Path parent = result.next() ? Path.of(result.getString(1)).getParent() : null;
            return parent != null && parent.getFileName().toString().startsWith("gatehouse-test-pg") ? parent : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("Could not stop " + closeable + ": " + e);
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
