package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.WebSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The README's install path, end to end on this host's Docker engine, exactly as IT types it: {@code installer.sh init},
 * {@code images}, {@code up}; the first admin signs in through Caddy over HTTPS (certificate checked against Caddy's own
 * CA), a chat turn runs a SQL query in a connector container against a customer database; {@code backup}, wipe every
 * volume, {@code restore}: the conversation, the connector, the admin's MFA and Caddy's CA are back; an {@code upgrade}
 * whose new portal cannot start is rolled back to the old version and the backup; {@code down} leaves nothing
 * running. All along, a firewall on this host drops and counts every new connection the stack tries to open to anything
 * but the (fake) model server and the (fake) license server: it must count none.
 */
class InstallJourneyIT {

    static final Path REPO = Path.of(System.getProperty("gatehouse.repo", "..")).toAbsolutePath().normalize();
    static final String ADMIN = "it-admin@example.com";
    static final String HTTPS = "https://localhost:18443";
    static final String CUSTOMER_NETWORK = "gh-e2e-customer";
    static final String CUSTOMER_DB = "gh-e2e-customer-db";
    static final String CUSTOMER_DB_PASSWORD = "customer-db-password-e2e-0001";
    static final String VERSION = "0.1.0";

    private Path dir;

    @Test
    void fromCloneToHttpsChatThroughAConnectorThenBackupWipeRestoreAndDownWithOnlyModelAndLicenseTrafficLeaving() throws Exception {
        requireRootAndDocker();
        Path work = Files.createTempDirectory("gatehouse-e2e");
        dir = work.resolve("compose");
        copyComposeDirectory(dir);
        String hostAddress = Shell.ok(REPO, "docker", "network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}");
        removeLeftovers();

        try (ScriptedModelServer model = ScriptedModelServer.start(hostAddress);
             FakeLicenseServer licenses = new FakeLicenseServer(hostAddress);
             EgressFirewall firewall = EgressFirewall.install(hostAddress, model.port(), licenses.port())) {
            try {
                journey(work, model, licenses, firewall);
            } catch (Throwable failure) {
                for (String container : List.of("gatehouse-portal", "gatehouse-docker-proxy", "gatehouse-caddy")) {
                    System.out.println("----- last log lines of " + container + " -----");
                    Shell.run(REPO, Duration.ofSeconds(30), "docker", "logs", "--tail", "80", container);
                }
                throw failure;
            } finally {
                Shell.run(REPO, Duration.ofMinutes(5), installer("down", "--dir", dir.toString(), "--volumes", "--yes"));
                removeLeftovers();
                // The bundle alone is some 600 MB.
                Shell.run(REPO, Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", work.toString());
            }
        }
    }

    private void journey(Path work, ScriptedModelServer model, FakeLicenseServer licenses, EgressFirewall firewall) throws Exception {
        // A license issued with the vendor tool, signed by a test key the appliance is told to trust
        // (GATEHOUSE_LICENSE_PUBLIC_KEYS): it works, and the portal says it is not signed by a vendor key.
        Path vendor = work.resolve("vendor");
        Shell.ok(REPO, installer("license", "keygen", "--out", vendor.toString()));
        Path license = work.resolve("license.lic");
        Shell.ok(REPO, installer("license", "sign", "--key", vendor.resolve("vendor.key").toString(), "--customer", "E2E Test Company",
                "--seats", "10", "--expires", LocalDate.now().plusYears(1).toString(), "--out", license.toString()));
        String vendorPublicKey = Files.readString(vendor.resolve("vendor.pub")).strip();

        // --- init: secrets into .env (0600), first admin, TLS by Caddy's internal CA --------------------------
        Shell.ok(REPO, installer("init", "--dir", dir.toString(), "--non-interactive", "--hostname", "localhost", "--tls", "internal",
                "--admin-email", ADMIN, "--http-port", "18080", "--https-port", "18443", "--mongo", "bundled",
                "--license", license.toString(),
                "--model-base-url", "http://host.docker.internal:" + model.port() + "/v1", "--model-kind", "openai",
                "--model-names", "e2e-model",
                "--license-check-url", "http://host.docker.internal:" + licenses.port() + "/v1/check",
                "--set", "GATEHOUSE_LICENSE_PUBLIC_KEYS=" + vendorPublicKey,
                "--set", "GATEHOUSE_CONNECTOR_DATA_NETWORKS=" + CUSTOMER_NETWORK));
        Path envFile = dir.resolve(".env");
        assertThat(Files.getPosixFilePermissions(envFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Map<String, String> env = readEnv(envFile);
        assertThat(env.get("GATEHOUSE_MASTER_KEY")).isNotBlank();
        String password = env.get("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD");
        assertThat(password).isNotBlank();
        useTestOverride(envFile);

        // --- images, built here from Debian packages and the JDK, no registry; then up --------------------------
        Shell.run(REPO, Duration.ofMinutes(45), installer("images")).orFail("installer images");
        for (String image : List.of("portal", "postgres", "caddy", "mongo-wire", "docker-proxy", "connector-sql")) {
            String labels = Shell.ok(REPO, "docker", "image", "inspect", "gatehouse/" + image + ":" + VERSION, "--format",
                    "{{.Config.User}}|{{index .Config.Labels \"org.opencontainers.image.version\"}}|{{index .Config.Labels \"org.opencontainers.image.revision\"}}");
            String[] parts = labels.split("\\|", -1);
            assertThat(parts[0]).as(image + " runs as").isNotBlank().isNotEqualTo("root").isNotEqualTo("0");
            assertThat(parts[1]).as(image + " version label").isEqualTo(VERSION);
            assertThat(parts[2]).as(image + " revision label").isNotBlank();
        }
        Shell.run(REPO, Duration.ofMinutes(10), installer("up", "--dir", dir.toString())).orFail("installer up");
        Shell.ok(REPO, installer("status", "--dir", dir.toString()));
        firewall.keepFirst();

        // --- HTTPS through Caddy, certificate checked against Caddy's own root ----------------------------------
        String caddyRoot = Shell.ok(REPO, "docker", "exec", "gatehouse-caddy", "cat", "/data/caddy/pki/authorities/local/root.crt");
        SSLContext tls = trusting(caddyRoot);
        WebSession anonymous = WebSession.over(HTTPS, tls);
        HttpResponse<String> health = anonymous.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        HttpResponse<String> plain = WebSession.over("http://localhost:18080", tls).get("/");
        assertThat(plain.statusCode()).isBetween(301, 308);
        assertThat(plain.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).startsWith("https://"));

        Totp totp = new Totp();
        WebSession admin = WebSession.over(HTTPS, tls);
        assertThat(signIn(admin, password)).isEqualTo("MFA_ENROLMENT");
        totp.enrol(admin);

        // --- the license is installed, flagged as test-signed, and the online check sent only its three fields ---
        JsonNode licenseState = WebSession.parse(admin.get("/api/v1/admin/license").body());
        assertThat(licenseState.path("status").asText()).as(licenseState.toString()).isEqualTo("VALID");
        assertThat(licenseState.path("signedBy").asText()).isEqualTo("configured-key");
        assertThat(licenseState.toString()).contains("E2E Test Company");
        List<String> checks = poll(Duration.ofSeconds(60), licenses::bodies, b -> !b.isEmpty(), "an online license check");
        JsonNode check = WebSession.parse(checks.getFirst());
        List<String> fields = new ArrayList<>();
        check.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("licenseId", "applianceId", "seatsInUse");
        assertThat(check.path("applianceId").asText()).isEqualTo(env.get("GATEHOUSE_APPLIANCE_ID"));

        // --- a customer database, and the SQL connector in its own container next to it --------------------------
        startCustomerDatabase();
        Map<String, Object> connector = new HashMap<>();
        connector.put("name", "sales");
        connector.put("kind", "sql");
        connector.put("description", "Customer database");
        connector.put("config", Map.of("SQL_URL", "jdbc:postgresql://" + CUSTOMER_DB + ":5432/gatehouse", "SQL_USER", "gatehouse",
                "SQL_PASSWORD", CUSTOMER_DB_PASSWORD));
        connector.put("networks", List.of(CUSTOMER_NETWORK));
        HttpResponse<String> created = admin.postJson("/api/v1/admin/connectors", connector);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        poll(Duration.ofSeconds(120), () -> connectorState(admin), s -> s.startsWith("RUNNING"), "the sales connector running");
        String connectorContainer = Shell.ok(REPO, "docker", "ps", "--filter", "label=io.gatehouse.owner=gatehouse", "--format", "{{.Names}}");
        assertThat(connectorContainer).startsWith("gatehouse-conn-sales-");
        assertThat(Shell.ok(REPO, "docker", "inspect", connectorContainer, "--format", "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Privileged}} {{.Config.User}}"))
                .isEqualTo("true false 10001:10001");

        // --- one chat turn: the model asks for a query, the connector runs it on the customer database --------
        model.enqueue(new ScriptedModelServer.ToolCall("sales__run_query", "{\"sql\": \"select name from customers order by name\"}"),
                ScriptedModelServer.text("Our customers are Acme GmbH, Borealis AB and Cobalt SA."));
        WebSession.SseResult turn = admin.postForEvents("/api/v1/chat/messages", Map.of("message", "Who are our customers?", "model", "e2e-model"));
        assertThat(turn.status()).as(turn.raw()).isEqualTo(200);
        assertThat(turn.named("done")).as(turn.raw()).hasSize(1);
        assertThat(turn.named("tool").getFirst().json().path("rows").asInt()).as(turn.raw()).isEqualTo(3);
        JsonNode toolResult = model.requests().get(1).path("messages");
        assertThat(toolResult.get(toolResult.size() - 1).path("content").asText()).contains("Acme GmbH", "Borealis AB", "Cobalt SA");
        String conversationId = turn.named("conversation").getFirst().json().path("conversationId").asText();

        // --- egress: the model and license servers were reached, nothing else was even tried ----------------------
        assertThat(firewall.packets("allowed-model")).isPositive();
        assertThat(firewall.packets("allowed-license")).isPositive();
        assertThat(firewall.packets("denied-forward")).as(firewall.listing()).isZero();
        assertThat(firewall.packets("denied-host")).as(firewall.listing()).isZero();
        // The counters do see an attempt: the portal container tries a documentation address (never routed anywhere).
        Shell.run(REPO, Duration.ofSeconds(30), "docker", "exec", "gatehouse-portal", "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/192.0.2.1/443");
        assertThat(firewall.packets("denied-forward")).as(firewall.listing()).isPositive();

        // --- backup, wipe every volume, restore ---------------------------------------------------------------
        Path backup = work.resolve("backup.tar.gz");
        Shell.run(REPO, Duration.ofMinutes(10), installer("backup", "--dir", dir.toString(), "--out", backup.toString())).orFail("installer backup");
        assertThat(backup).isRegularFile();
        Shell.run(REPO, Duration.ofMinutes(5), installer("down", "--dir", dir.toString(), "--volumes", "--yes")).orFail("installer down --volumes");
        assertThat(Shell.ok(REPO, "docker", "volume", "ls", "-q", "--filter", "label=com.docker.compose.project=gatehouse")).isEmpty();
        Shell.run(REPO, Duration.ofMinutes(10), installer("up", "--dir", dir.toString())).orFail("installer up (empty)");
        // The wiped caddy-data volume held the internal CA: Caddy made a new one, which a browser would have to trust anew.
        String newRoot = Shell.ok(REPO, "docker", "exec", "gatehouse-caddy", "cat", "/data/caddy/pki/authorities/local/root.crt");
        assertThat(newRoot).isNotEqualTo(caddyRoot);
        WebSession fresh = WebSession.over(HTTPS, trusting(newRoot));
        assertThat(signIn(fresh, password)).as("a wiped installation starts over").isEqualTo("MFA_ENROLMENT");

        Shell.run(REPO, Duration.ofMinutes(10), installer("restore", backup.toString(), "--dir", dir.toString(), "--yes")).orFail("installer restore");
        // The backup carried Caddy's CA too: browsers that trusted the original root trust the restored installation.
        assertThat(Shell.ok(REPO, "docker", "exec", "gatehouse-caddy", "cat", "/data/caddy/pki/authorities/local/root.crt")).isEqualTo(caddyRoot);
        WebSession restored = WebSession.over(HTTPS, tls);
        assertThat(signIn(restored, password)).as("the admin's MFA is back").isEqualTo("MFA_CHALLENGE");
        totp.answer(restored);
        JsonNode conversations = WebSession.parse(restored.get("/api/v1/conversations").body());
        assertThat(conversations.findValuesAsText("id")).contains(conversationId);
        String messages = restored.get("/api/v1/conversations/" + conversationId).body();
        assertThat(messages).contains("Our customers are Acme GmbH, Borealis AB and Cobalt SA.");
        assertThat(restored.get("/api/v1/admin/connectors").body()).contains("\"name\":\"sales\"");
        JsonNode chain = WebSession.parse(restored.postJson("/api/v1/admin/audit/verify", Map.of()).body());
        assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();

        // --- an upgrade whose new version does not come up is rolled back to the old version and its backup ----
        upgradeThatFailsIsRolledBack(envFile, tls, totp, conversationId, password);

        // --- down leaves nothing running ----------------------------------------------------------------------
        Shell.run(REPO, Duration.ofMinutes(5), installer("down", "--dir", dir.toString())).orFail("installer down");
        assertThat(Shell.ok(REPO, "docker", "ps", "-a", "-q", "--filter", "label=com.docker.compose.project=gatehouse")).isEmpty();
        assertThat(Shell.ok(REPO, "docker", "ps", "-a", "-q", "--filter", "label=io.gatehouse.owner=gatehouse")).isEmpty();
        assertThat(Shell.ok(REPO, "docker", "network", "ls", "--format", "{{.Name}}").lines()
                .filter(n -> n.startsWith("gatehouse")).toList()).isEmpty();

        // --- the air-gapped path: one tar with every image, carried to a directory with no checkout and no JDK --
        Path site = Files.createDirectories(work.resolve("site"));
        Path bundle = site.resolve("gatehouse-bundle.tar");
        Shell.run(REPO, Duration.ofMinutes(10), installer("bundle", "--dir", dir.toString(), "--out", bundle.toString())).orFail("installer bundle");
        List<String> entries = Shell.ok(REPO, "tar", "-tf", bundle.toString()).lines().toList();
        assertThat(entries).contains("MANIFEST.json", "images.tar", "installer.sh").anyMatch(e -> e.startsWith("runtime/java/bin/java"))
                .noneMatch(e -> e.endsWith(".env") || e.endsWith(".lic"));
        Shell.ok(site, "tar", "-xf", bundle.toString(), "installer.sh", "installer", "runtime");
        Shell.Result loaded = Shell.run(site, Duration.ofMinutes(10), "env", "-u", "JAVA_HOME", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                site.resolve("installer.sh").toString(), "load", bundle.toString()).orFail("installer load (bundled Java)");
        assertThat(loaded.output()).contains("loaded Gatehouse " + VERSION);
        assertThat(site.resolve("compose/docker-compose.yml")).isRegularFile();
        assertThat(site.resolve("compose/.env")).doesNotExist();
    }

    /**
     * The installation runs as "0.0.9" (tags of today's images), and "0.1.0" gets a portal image that cannot start
     * (the bare base image: no command). {@code upgrade} must take a backup, try 0.1.0, and when it is not healthy put
     * 0.0.9 back with the backup's data. The real portal image gets its tag back whatever happens.
     */
    private void upgradeThatFailsIsRolledBack(Path envFile, SSLContext tls, Totp totp, String conversationId, String password) throws Exception {
        List<String> names = List.of("portal", "postgres", "caddy", "mongo-wire", "docker-proxy", "connector-sql");
        for (String name : names) {
            Shell.ok(REPO, "docker", "tag", "gatehouse/" + name + ":" + VERSION, "gatehouse/" + name + ":0.0.9");
        }
        setEnv(envFile, "GATEHOUSE_VERSION", "0.0.9");
        setEnv(envFile, "GATEHOUSE_MONGO_IMAGE", "gatehouse/mongo-wire:0.0.9");
        Shell.run(REPO, Duration.ofMinutes(10), installer("up", "--dir", dir.toString())).orFail("installer up (0.0.9)");
        String realPortal = Shell.ok(REPO, "docker", "image", "inspect", "--format", "{{.Id}}", "gatehouse/portal:" + VERSION);
        try {
            Shell.ok(REPO, "docker", "tag", "gatehouse/base-jre:25", "gatehouse/portal:" + VERSION);
            Shell.Result upgrade = Shell.run(REPO, Duration.ofMinutes(20), installer("upgrade", "--dir", dir.toString(), "--timeout", "120"));
            assertThat(upgrade.exitCode()).as(upgrade.output()).isEqualTo(1);
            assertThat(upgrade.output()).contains("rolling back to 0.0.9");
        } finally {
            Shell.ok(REPO, "docker", "tag", realPortal, "gatehouse/portal:" + VERSION);
        }
        assertThat(readEnv(envFile).get("GATEHOUSE_VERSION")).isEqualTo("0.0.9");
        Shell.ok(REPO, installer("status", "--dir", dir.toString()));
        assertThat(Shell.ok(REPO, "docker", "inspect", "--format", "{{.Config.Image}}", "gatehouse-portal")).isEqualTo("gatehouse/portal:0.0.9");
        WebSession back = WebSession.over(HTTPS, tls);
        assertThat(signIn(back, password)).isEqualTo("MFA_CHALLENGE");
        totp.answer(back);
        assertThat(back.get("/api/v1/conversations/" + conversationId).body()).contains("Our customers are Acme GmbH, Borealis AB and Cobalt SA.");
    }

    private static void setEnv(Path envFile, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(envFile));
        lines.removeIf(l -> l.startsWith(key + "="));
        lines.add(key + "=" + value);
        Files.write(envFile, lines);
    }

    // ------------------------------------------------------------------------------------------------------------

    private static String[] installer(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = REPO.resolve("installer.sh").toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private static void requireRootAndDocker() {
        // In CI a missing engine is a failure (docker/engine.sh ran before the build); never a silent skip.
        assertThat(Shell.run(REPO, Duration.ofSeconds(30), "docker", "info").exitCode())
                .as("a Docker engine must answer (bash docker/engine.sh starts one)").isZero();
        assertThat(Shell.ok(REPO, "id", "-u")).as("the egress test changes the host firewall: run as root").isEqualTo("0");
    }

    private static void copyComposeDirectory(Path target) throws IOException {
        Path source = REPO.resolve("compose");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path relative = source.relativize(p);
                if (relative.toString().equals(".env") || relative.toString().endsWith(".lic")) {
                    continue;
                }
                Path to = target.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    /** The only test-specific compose change: the fake model and license servers live on this host. */
    private void useTestOverride(Path envFile) throws IOException {
        Files.writeString(dir.resolve("e2e.yml"), """
                services:
                  portal:
                    extra_hosts:
                      - "host.docker.internal:host-gateway"
                """);
        List<String> lines = new ArrayList<>(Files.readAllLines(envFile));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("COMPOSE_FILE=")) {
                lines.set(i, lines.get(i) + ":e2e.yml");
                found = true;
            }
        }
        assertThat(found).as("installer init writes COMPOSE_FILE").isTrue();
        Files.write(envFile, lines);
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return env;
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("caddy-local-root", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String signIn(WebSession session, String password) {
        HttpResponse<String> login = session.postJson("/api/v1/auth/login", Map.of("email", ADMIN, "password", password));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return WebSession.parse(login.body()).path("access").asText();
    }

    private static String connectorState(WebSession admin) {
        JsonNode all = WebSession.parse(admin.get("/api/v1/admin/connectors").body());
        for (JsonNode c : all.isArray() ? all : all.path("items")) {
            if (c.path("name").asText().equals("sales")) {
                return c.path("state").asText() + " " + c.path("lastError").asText("");
            }
        }
        return "absent";
    }

    private static void startCustomerDatabase() {
        Shell.ok(REPO, "docker", "network", "create", "--internal", "-o", "com.docker.network.bridge.name=gh-e2e-cust", CUSTOMER_NETWORK);
        Shell.ok(REPO, "docker", "run", "-d", "--name", CUSTOMER_DB, "--network", CUSTOMER_NETWORK, "-e", "POSTGRES_OWNER_PASSWORD=" + CUSTOMER_DB_PASSWORD, "-e", "POSTGRES_APP_PASSWORD=customer-app-password-e2e-01",
                "gatehouse/postgres:" + VERSION);
        poll(Duration.ofSeconds(60), () -> Shell.run(REPO, Duration.ofSeconds(10), "docker", "exec", CUSTOMER_DB, "pg_isready", "-h", "127.0.0.1").exitCode(),
                code -> code == 0, "the customer database ready");
        Shell.ok(REPO, "docker", "exec", "-e", "PGPASSWORD=" + CUSTOMER_DB_PASSWORD, CUSTOMER_DB, "psql", "-h", "127.0.0.1", "-U", "gatehouse",
                "-d", "gatehouse", "-v", "ON_ERROR_STOP=1", "-c",
                "create table customers (name text primary key); insert into customers values ('Acme GmbH'), ('Borealis AB'), ('Cobalt SA');");
    }

    private static void removeLeftovers() {
        Shell.run(REPO, Duration.ofSeconds(60), "docker", "rm", "-f", "-v", CUSTOMER_DB);
        Shell.run(REPO, Duration.ofSeconds(60), "docker", "network", "rm", CUSTOMER_NETWORK);
        // The "old version" tags of the upgrade step (tags only: the images stay under 0.1.0).
        for (String name : List.of("portal", "postgres", "caddy", "mongo-wire", "docker-proxy", "connector-sql")) {
            Shell.run(REPO, Duration.ofSeconds(60), "docker", "rmi", "gatehouse/" + name + ":0.0.9");
        }
    }

    private static <T> T poll(Duration limit, Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        Instant deadline = Instant.now().plus(limit);
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Waited " + limit.toSeconds() + " s for " + what + "; last seen: " + last);
            }
            try {
                Thread.sleep(1000); // polling a real system with a deadline, not synchronising threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = probe.get();
        }
        return last;
    }

    /** The admin's authenticator app, on real time: one code per 30-second step, each step used once. */
    private static final class Totp {
        private String secret;
        private long lastStep = -1;

        void enrol(WebSession session) {
            HttpResponse<String> started = session.postJson("/api/v1/me/mfa/totp/enrolment", Map.of());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            secret = WebSession.parse(started.body()).path("secret").asText();
            HttpResponse<String> confirmed = session.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", nextCode()));
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        }

        void answer(WebSession session) {
            HttpResponse<String> answered = session.postJson("/api/v1/auth/mfa", Map.of("code", nextCode()));
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        }

        private String nextCode() {
            long step = poll(Duration.ofSeconds(35), () -> Instant.now().getEpochSecond() / 30, s -> s > lastStep, "a fresh TOTP step");
            lastStep = step;
            try {
                return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, step);
            } catch (CodeGenerationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
