package io.gatehouse.bench;

import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Does the time {@code POST /api/v1/auth/login} takes tell whether an email has an account? Three cases against
 * one real portal (embedded PostgreSQL, in-process MongoDB), side by side in one run:
 * <ol>
 *   <li><b>known</b>: an existing, active local account, wrong password;</li>
 *   <li><b>unknown</b>: an email with no account, the same wrong password ({@code LoginService} then runs
 *   {@code PasswordHasher.burnEquivalentTime}, a bcrypt check against a decoy hash);</li>
 *   <li><b>correct</b>: an existing non-admin account, right password (a full sign-in with a new session), for scale.</li>
 * </ol>
 * The answer to (1) and (2) must be the same 401 with the same body; this measures whether their latency differs.
 * Requests are sent one at a time (closed loop, no queueing in the portal) over one keep-alive HTTP/1.1 connection,
 * timed from send to the last byte of the answer. After a warm-up, the cases take turns in blocks (one block of each
 * per round, in a shuffled order with a fixed seed), so JIT, GC and whatever else the machine does fall on all three
 * alike. Percentiles from HdrHistogram; the unknown/known ratios come with a bootstrap 95% interval.
 *
 * <p><b>Rate limits, and how this stays clear of them.</b> {@code LoginThrottle} counts failures per email (known or
 * not: from the 3rd failure each try waits 1, 2, 4 ... s, at the 5th the email is locked for 15 minutes) and per
 * client address (locked at 30 failures). A 429, or a delay, would distort exactly what is measured, so:
 * <ul>
 *   <li>every existing account and every unknown email gets {@value #TRIES_PER_EMAIL} wrong-password tries, below the
 *   delay threshold; the run creates as many distinct accounts as that needs and uses as many distinct unknown
 *   emails;</li>
 *   <li>the portal is started with {@code GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32} and the benchmark connects to
 *   127.0.0.1, posing as a reverse proxy: each block is sent with its own {@code X-Forwarded-For} address (from the
 *   198.18.0.0/15 benchmarking range), so no address collects more than one block's failures, well below 30. That
 *   the portal really takes the forwarded address is checked before anything is timed (the session list of a
 *   sign-in shows it);</li>
 *   <li>correct-password sign-ins clear the email's count and are not counted per address; each of those accounts
 *   signs in at most {@value #CORRECT_PER_ACCOUNT} times.</li>
 * </ul>
 * The TestPortal clock stands still, so no 15-minute window runs out during the run: the counts above only grow, which
 * is why they are kept below the limits instead of waited out. Any answer other than the expected 401/200 (a 429 in
 * particular) is reported, left out of the percentiles, and makes the run exit with status 1.
 *
 * <p>Not a test and not part of any test run; start it with
 * {@code bench/run-signin.sh [--samples N] [--warmup N] [--block N]}.
 */
public final class SignInTimingBench {

    static final int TRIES_PER_EMAIL = 2;
    static final int CORRECT_PER_ACCOUNT = 10;
    static final String TRUSTED_PROXIES = "127.0.0.1/32";
    static final String RIGHT_PASSWORD = "Right-passphrase-for-bench-7";
    /** Same length as the right one; bcrypt's time does not depend on it anyway (up to 72 bytes). */
    static final String WRONG_PASSWORD = "Wrong-passphrase-for-bench-7";
    static final String DOMAIN = "@signin-bench.example.test";
    private static final Duration HIGHEST = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final long SEED = 20261125L;
    private static final int BOOTSTRAP_ROUNDS = 4000;

    private SignInTimingBench() {
    }

    @Command(name = "bench/run-signin.sh", sortOptions = false, sortSynopsis = false,
            description = "Does sign-in timing reveal whether an email has an account?",
            footer = {"Three cases: wrong password for an existing account, wrong password for an unknown email, right password.",
                    "Each sign-in costs one bcrypt check (cost 12), so 3 x (warmup + samples) of them take a few minutes."})
    static final class Options implements BenchMain.Options {

        @Option(names = "--samples", paramLabel = "N", defaultValue = "150",
                description = "measured sign-ins per case (default ${DEFAULT-VALUE})")
        private int samples;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "30",
                description = "warm-up sign-ins per case, interleaved the same way and discarded (default ${DEFAULT-VALUE})")
        private int warmup;

        @Option(names = "--block", paramLabel = "N", defaultValue = "10",
                description = "consecutive sign-ins of one case before another case takes its turn (default ${DEFAULT-VALUE}, at most 25)")
        private int block;

        @Override
        public void check(CommandLine commandLine) {
            BenchMain.requireWithin(commandLine, "--samples", samples, 1, 100_000);
            BenchMain.requireWithin(commandLine, "--warmup", warmup, 0, 100_000);
            // A block's failures all come from one address, locked at 30.
            BenchMain.requireWithin(commandLine, "--block", block, 1, 25);
        }

        int samples() {
            return samples;
        }

        int warmup() {
            return warmup;
        }

        int block() {
            return block;
        }
    }

    enum Case {
        KNOWN("wrong password, existing account", 401),
        UNKNOWN("wrong password, unknown email", 401),
        CORRECT("right password, existing non-admin", 200);

        final String label;
        final int expectedStatus;

        Case(String label, int expectedStatus) {
            this.label = label;
            this.expectedStatus = expectedStatus;
        }
    }

    /** What one case saw in the measured part of the run. */
    static final class Results {
        final Latency latency = Latency.of(TimeUnit.MICROSECONDS, HIGHEST);
        final List<Long> micros = new ArrayList<>();
        final Map<String, Integer> errors = new TreeMap<>();
        final Map<String, Integer> warmupErrors = new TreeMap<>();
        final Set<String> bodies = new TreeSet<>();
        int sent;

        void record(long nanos) {
            // The bootstrap resamples the very values the percentiles come from.
            micros.add(latency.record(nanos));
        }

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Where each case's next sign-in goes: emails handed out in order, each for its fixed number of tries. */
    static final class Emails {
        private final List<String> known;
        private final List<String> unknown;
        private final List<String> correct;
        private final int[] used = new int[Case.values().length];

        Emails(List<String> known, List<String> unknown, List<String> correct) {
            this.known = known;
            this.unknown = unknown;
            this.correct = correct;
        }

        String next(Case c) {
            int n = used[c.ordinal()]++;
            return switch (c) {
                case KNOWN -> known.get(n / TRIES_PER_EMAIL);
                case UNKNOWN -> unknown.get(n / TRIES_PER_EMAIL);
                case CORRECT -> correct.get(n / CORRECT_PER_ACCOUNT);
            };
        }
    }

    public static void main(String[] args) {
        BenchMain.main(args, new Options(), SignInTimingBench::run);
    }

    static int run(Options options, PrintStream stdout) throws Exception {
        TestPortal portal = null;
        HttpClient client = null;
        try {
            int perCase = options.warmup() + options.samples();
            int emailsPerWrongCase = Math.ceilDiv(perCase, TRIES_PER_EMAIL);
            int correctAccounts = Math.ceilDiv(perCase, CORRECT_PER_ACCOUNT);
            progress("Setting up: portal on embedded PostgreSQL + in-process MongoDB, GATEHOUSE_TRUSTED_PROXIES=%s ...", TRUSTED_PROXIES);
            long setupStart = System.nanoTime();
            portal = TestPortal.start(Map.of("GATEHOUSE_TRUSTED_PROXIES", TRUSTED_PROXIES));
            // Connect to 127.0.0.1 itself (not "localhost", which may be ::1): only that peer is a trusted proxy.
            int port = portal.running().port();
            String baseUrl = "http://127.0.0.1:" + port;

            progress("Creating %d local accounts (%d for wrong-password tries, %d for right-password sign-ins), one bcrypt hash each ...",
                    emailsPerWrongCase + correctAccounts, emailsPerWrongCase, correctAccounts);
            List<String> known = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            List<String> correct = new ArrayList<>();
            for (int i = 0; i < emailsPerWrongCase; i++) {
                // Same shape and length for both: only existence differs.
                known.add(String.format(Locale.ROOT, "user-k-%05d%s", i, DOMAIN));
                unknown.add(String.format(Locale.ROOT, "user-u-%05d%s", i, DOMAIN));
            }
            for (int i = 0; i < correctAccounts; i++) {
                correct.add(String.format(Locale.ROOT, "user-c-%05d%s", i, DOMAIN));
            }
            createAccounts(portal.bean(UserAccounts.class), known, correct);
            progress("Accounts created in %.1f s.", (System.nanoTime() - setupStart) / 1e9);

            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            URI login = URI.create(baseUrl + "/api/v1/auth/login");
            checkForwardedAddressIsUsed(client, baseUrl, login, correct.getLast());
            progress("Setup done in %.1f s; the portal takes the client address from X-Forwarded-For.", (System.nanoTime() - setupStart) / 1e9);

            String loadBefore = loadAverage();
            Map<Case, Results> results = measure(client, login, new Emails(known, unknown, correct), options);
            printReport(stdout, options, results, emailsPerWrongCase, correctAccounts, loadBefore);
            int errors = results.values().stream().mapToInt(Results::errorCount).sum();
            if (errors > 0) {
                System.err.println(errors + " sign-ins gave an unexpected answer; see the report.");
                return 1;
            }
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
        }
    }

    /** Through the portal's own bean: policy applied, password hashed with bcrypt cost 12, status ACTIVE, not admin. */
    static void createAccounts(UserAccounts accounts, List<String> known, List<String> correct) throws Exception {
        List<String> all = new ArrayList<>(known);
        all.addAll(correct);
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            List<Future<?>> created = new ArrayList<>();
            for (String email : all) {
                created.add(pool.submit(() -> accounts.createLocal(email, null, RIGHT_PASSWORD, false)));
            }
            for (Future<?> f : created) {
                f.get();
            }
        }
    }

    /**
     * The whole design rests on the portal taking the forwarded address: sign in with one, then read the session list
     * and require that address on the new session. Uses the last right-password account, whose tries come last.
     */
    static void checkForwardedAddressIsUsed(HttpClient client, String baseUrl, URI login, String email) throws Exception {
        String address = "198.19.255.254";
        HttpResponse<String> signedIn = client.send(loginRequest(login, email, RIGHT_PASSWORD, address), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 200) {
            throw new IllegalStateException("Right-password sign-in failed: HTTP " + signedIn.statusCode() + " " + signedIn.body());
        }
        String cookie = signedIn.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0])
                .orElseThrow(() -> new IllegalStateException("No session cookie in the sign-in answer"));
        HttpResponse<String> sessions = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/me/sessions"))
                .timeout(REQUEST_TIMEOUT).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        String ips = WebSession.parse(sessions.body()).findValuesAsText("ip").toString();
        if (sessions.statusCode() != 200 || !ips.contains(address)) {
            throw new IllegalStateException("The portal did not take X-Forwarded-For " + address + " as the client address (sessions: HTTP "
                    + sessions.statusCode() + ", addresses " + ips + "); the per-address lock would interfere. Is "
                    + TRUSTED_PROXIES + " trusted?");
        }
        // A wrong-password answer for each kind of email, so both code paths have run once before the warm-up.
        for (String probe : List.of(email, "user-probe" + DOMAIN)) {
            client.send(loginRequest(login, probe, WRONG_PASSWORD, "198.19.255.253"), HttpResponse.BodyHandlers.ofString());
        }
    }

    static HttpRequest loginRequest(URI login, String email, String password, String forwardedFor) {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        return HttpRequest.newBuilder(login)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Rounds of one block per case, shuffled per round; the first rounds are the warm-up. */
    static Map<Case, Results> measure(HttpClient client, URI login, Emails emails, Options options) throws InterruptedException {
        Map<Case, Results> results = new EnumMap<>(Case.class);
        for (Case c : Case.values()) {
            results.put(c, new Results());
        }
        int warmupRounds = Math.ceilDiv(options.warmup(), options.block());
        int measuredRounds = Math.ceilDiv(options.samples(), options.block());
        int[] warmupLeft = new int[Case.values().length];
        int[] measuredLeft = new int[Case.values().length];
        Arrays.fill(warmupLeft, options.warmup());
        Arrays.fill(measuredLeft, options.samples());
        Random random = new Random(SEED);
        int addressCounter = 0;
        long start = System.nanoTime();
        progress("Warm-up: %d rounds, then %d measured rounds; each round one block of up to %d sign-ins per case, "
                + "%d sign-ins in all (one at a time) ...", warmupRounds, measuredRounds, options.block(),
                3 * (options.warmup() + options.samples()));
        for (int round = 0; round < warmupRounds + measuredRounds; round++) {
            boolean measured = round >= warmupRounds;
            if (round == warmupRounds) {
                System.gc();
                Thread.sleep(200);
                progress("Warm-up done in %.0f s; measuring ...", (System.nanoTime() - start) / 1e9);
            }
            List<Case> order = new ArrayList<>(List.of(Case.values()));
            Collections.shuffle(order, random);
            for (Case c : order) {
                int[] left = measured ? measuredLeft : warmupLeft;
                int n = Math.min(options.block(), left[c.ordinal()]);
                left[c.ordinal()] -= n;
                String address = address(++addressCounter);
                for (int i = 0; i < n; i++) {
                    send(client, login, c, emails.next(c), address, measured, results.get(c));
                }
            }
            if (measured && (round - warmupRounds + 1) % 5 == 0) {
                Results k = results.get(Case.KNOWN);
                Results u = results.get(Case.UNKNOWN);
                progress("  round %d/%d, %.0f s: median so far known %.1f ms, unknown %.1f ms, right password %.1f ms",
                        round - warmupRounds + 1, measuredRounds, (System.nanoTime() - start) / 1e9, k.latency.ms(50),
                        u.latency.ms(50), results.get(Case.CORRECT).latency.ms(50));
            }
        }
        progress("Done in %.0f s.", (System.nanoTime() - start) / 1e9);
        return results;
    }

    /** A distinct address per block, from 198.18.0.0/15 (RFC 2544, set aside for benchmarks). */
    static String address(int n) {
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    static void send(HttpClient client, URI login, Case c, String email, String address, boolean measured, Results results) {
        String password = c == Case.CORRECT ? RIGHT_PASSWORD : WRONG_PASSWORD;
        HttpRequest request = loginRequest(login, email, password, address);
        String outcome;
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - t0;
            if (response.statusCode() == c.expectedStatus) {
                if (measured) {
                    results.sent++;
                    results.record(elapsed);
                    if (c != Case.CORRECT) {
                        results.bodies.add(response.body());
                    }
                }
                return;
            }
            outcome = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        if (measured) {
            results.sent++;
        }
        (measured ? results.errors : results.warmupErrors).merge(outcome, 1, Integer::sum);
    }

    // ---- report ----

    static void printReport(PrintStream stdout, Options options, Map<Case, Results> results, int emailsPerWrongCase, int correctAccounts,
                            String loadBefore) {
        Runtime runtime = Runtime.getRuntime();
        StringBuilder out = new StringBuilder();
        out.append('\n');
        out.append("Gatehouse POST /api/v1/auth/login: does the answer time tell whether an email exists?\n");
        out.append(String.format(Locale.ROOT, "%d measured sign-ins per case after %d warm-up per case (discarded); cases interleaved in blocks "
                + "of %d, block order shuffled per round; one request at a time, time from send to last byte%n",
                options.samples(), options.warmup(), options.block()));
        out.append(String.format(Locale.ROOT, "rate limits kept out of the picture: %d existing accounts and %d unknown emails, %d wrong-password "
                + "tries each (delay starts at the 3rd failure, lock at the 5th); %d right-password accounts, <= %d sign-ins each;%n",
                emailsPerWrongCase, emailsPerWrongCase, TRIES_PER_EMAIL, correctAccounts, CORRECT_PER_ACCOUNT));
        out.append(String.format(Locale.ROOT, "portal started with GATEHOUSE_TRUSTED_PROXIES=%s, each block sent with its own X-Forwarded-For "
                + "(198.18.0.0/15), so no address has more than %d failures (lock at 30); checked: the portal uses that address%n",
                TRUSTED_PROXIES, options.block()));
        out.append(String.format(Locale.ROOT, "JDK %s, %d CPUs, load average (1 min) %s before / %s after the timed part; client, portal and "
                + "embedded PostgreSQL share this machine; bcrypt cost 12%n%n", Runtime.version(), runtime.availableProcessors(),
                loadBefore, loadAverage()));

        String header = String.format(Locale.ROOT, "%-36s | %5s | %9s %9s %9s %9s | %s", "case (ms)", "n", "median", "p90", "p99", "max", "errors");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Case c : Case.values()) {
            Results r = results.get(c);
            out.append(String.format(Locale.ROOT, "%-36s | %5d | %9.1f %9.1f %9.1f %9.1f | %d%n", c.label, r.latency.count(),
                    r.latency.ms(50), r.latency.ms(90), r.latency.ms(99), r.latency.maxMs(), r.errorCount()));
        }
        out.append('\n');

        Results known = results.get(Case.KNOWN);
        Results unknown = results.get(Case.UNKNOWN);
        for (double percentile : new double[] {50, 90}) {
            double k = known.latency.ms(percentile);
            double u = unknown.latency.ms(percentile);
            double[] ci = bootstrapRatio(known.micros, unknown.micros, percentile);
            out.append(String.format(Locale.ROOT, "unknown/known at the %-6s %.3f  (bootstrap 95%% interval %.3f .. %.3f; difference %+.1f ms)%n",
                    percentile == 50 ? "median:" : "p90:", u / k, ci[0], ci[1], u - k));
        }
        boolean sameBodies = known.bodies.size() == 1 && known.bodies.equals(unknown.bodies);
        out.append(String.format(Locale.ROOT, "401 bodies for existing and unknown emails identical: %s%s%n", sameBodies ? "yes" : "NO",
                sameBodies ? " (" + abbreviate(known.bodies.iterator().next()) + ")" : " (known " + known.bodies + ", unknown " + unknown.bodies + ")"));
        out.append("(An interval that includes 1.000 means no difference between existing and unknown emails was found at that\n"
                + " percentile; the interval's width is what this run can resolve. The right-password row is for scale only.)\n");

        for (Case c : Case.values()) {
            Results r = results.get(c);
            if (!r.errors.isEmpty()) {
                out.append(String.format(Locale.ROOT, "errors, %s (left out of the percentiles): %s%n", c.label, r.errors));
            }
            if (!r.warmupErrors.isEmpty()) {
                out.append(String.format(Locale.ROOT, "errors during warm-up (not counted), %s: %s%n", c.label, r.warmupErrors));
            }
        }
        stdout.print(out);
        stdout.flush();
    }

    /** Percentile ratio unknown/known, both samples resampled with replacement; the 2.5th and 97.5th percentile of the ratios. */
    static double[] bootstrapRatio(List<Long> known, List<Long> unknown, double percentile) {
        if (known.isEmpty() || unknown.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(SEED);
        double[] ratios = new double[BOOTSTRAP_ROUNDS];
        long[] k = new long[known.size()];
        long[] u = new long[unknown.size()];
        for (int round = 0; round < BOOTSTRAP_ROUNDS; round++) {
            for (int i = 0; i < k.length; i++) {
                k[i] = known.get(random.nextInt(k.length));
            }
            for (int i = 0; i < u.length; i++) {
                u[i] = unknown.get(random.nextInt(u.length));
            }
            ratios[round] = (double) nearestRank(u, percentile) / nearestRank(k, percentile);
        }
        Arrays.sort(ratios);
        return new double[] {ratios[(int) (0.025 * BOOTSTRAP_ROUNDS)], ratios[(int) (0.975 * BOOTSTRAP_ROUNDS) - 1]};
    }

    private static long nearestRank(long[] values, double percentile) {
        Arrays.sort(values);
        int rank = (int) Math.ceil(percentile / 100.0 * values.length);
        return values[Math.clamp(rank - 1, 0, values.length - 1)];
    }

    /** The 1-minute load average (Linux), or "n/a": other work on the machine widens the spread. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
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
