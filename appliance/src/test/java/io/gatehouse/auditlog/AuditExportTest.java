package io.gatehouse.auditlog;

import static io.gatehouse.auditlog.AuditSearchApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditChain;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.Origin;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The export: 100k rows streamed with bounded memory, CSV and JSON Lines exact enough to recompute every row's hash,
 * and the export itself audited first (refused when that row cannot be written).
 */
class AuditExportTest {

    static final int ROWS = 100_000;
    static final String BULK = "bulk" + UUID.randomUUID().toString().substring(0, 8) + ".row";
    static final String TRICKY = "tricky" + UUID.randomUUID().toString().substring(0, 8) + ".row";
    /** Makes each bulk row about 1.8 KB, so the export (about 180 MB) dwarfs what a streaming server holds. */
    static final String PADDING = "p".repeat(1_400);
    static final String AWKWARD = "a \"quoted\", value\nsecond line,\r\nthird; ünïcødé ✓ \\ back";

    static TestPortal portal;
    static WebSession admin;
    static HttpClient http;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        http = HttpClient.newBuilder().cookieHandler(admin.cookies()).connectTimeout(Duration.ofSeconds(5)).build();
        AuditTrail trail = portal.bean(AuditTrail.class);
        UUID actor = UUID.randomUUID();
        Origin origin = new Origin("198.51.100.4", "bulk-loader/1.0", null);
        for (int start = 0; start < ROWS; start += 10_000) {
            List<AuditTrail.Appending> pending = new ArrayList<>(10_000);
            for (int i = start; i < start + 10_000; i++) {
                pending.add(trail.append(AuditEvent.of(BULK).actor(actor, "bulk@example.test").origin(origin).connector("demo")
                        .target("row", i).detail("i", i).detail("pad", PADDING).build()));
            }
            pending.forEach(AuditTrail.Appending::await);
        }
        // Awkward values: quotes, commas, CR/LF and non-ASCII in details; an empty string apart from a missing value.
        trail.record(AuditEvent.of(TRICKY).actor(null, "o'brien,\"the\" admin@example.test").detail("note", AWKWARD)
                .detail("list", List.of("a,b", "c\"d")).origin(new Origin("", "ua, with \"quotes\"\nand a newline", "req,1")));
        trail.record(AuditEvent.of(TRICKY).target("", null).connector("").detail("empty", "")
                .origin(new Origin(null, "", null)));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static HttpResponse<InputStream> export(String query) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/admin/audit/export?" + query))
                .timeout(Duration.ofMinutes(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static Request exportRequest(String query) {
        return new Request.Builder().url(portal.baseUrl() + "/api/v1/admin/audit/export?" + query).header("Cookie", cookieHeader())
                .header("Accept-Encoding", "gzip, deflate, br").build();
    }

    private static String cookieHeader() {
        return admin.cookies().getCookieStore().get(URI.create(portal.baseUrl())).stream().map(Object::toString)
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** How far the server may run ahead of a client that stopped reading: loopback socket buffers plus a few chunks. */
    private static final long MAX_AHEAD = 16L * 1024 * 1024;

    @Test
    void anExportOf100kRowsStreamsWithBoundedMemoryAndEveryRowStillVerifies() throws Exception {
        // OkHttp reads the socket only as far as this test reads the body (8 KB at a time): the client holds next
        // to nothing in this JVM (which the portal shares), so what grows here is the server's. (The JDK clients read
        // ahead whatever the kernel has buffered, tens of MB on loopback.) It offers gzip, as browsers do: compressing
        // defeated the server's backpressure (see the controller), so the export must come back uncompressed.
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build();
        try (Response warmUp = client.newCall(exportRequest("format=csv&action=" + q(TRICKY))).execute()) {
            warmUp.body().bytes(); // pools, buffers and classes of an export are in place before the baseline
        }
        long baseline = usedMemoryAfterGc();
        long producedBefore = portal.bean(AuditExport.class).producedBytes();
        Request request = exportRequest("format=csv&action=" + q(BULK));
        try (Response response = client.newCall(request).execute();
             Counting body = new Counting(response.body().byteStream())) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("text/csv");
            assertThat(response.header("Content-Encoding")).isEqualTo("identity");
            assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"gatehouse-audit-20261125T090000Z.csv\"");
            // The first bytes are here while the server is still reading: its cursor's transaction is open, and it
            // stays open while this client reads nothing (the server waits for the client instead of buffering).
            byte[] head = body.readNBytes(64 * 1024);
            assertThat(head).hasSize(64 * 1024);
            assertThat(new String(head, 0, 200, StandardCharsets.UTF_8)).startsWith(
                    "\"seq\",\"occurredAt\",\"actorId\",\"actorEmail\",\"action\",\"outcome\",\"targetType\",\"targetId\",\"connector\","
                    + "\"ip\",\"userAgent\",\"requestId\",\"details\",\"prevHash\",\"hash\"\r\n\"");
            assertThat(openExports()).isEqualTo(1);
            long maxGrowth = usedMemoryAfterGc() - baseline;
            // While this client reads nothing, the server stays a few chunks and socket buffers ahead of it, for a
            // whole second, instead of producing the file (a server without backpressure produces all of it in that time).
            AuditExport exporter = portal.bean(AuditExport.class);
            long read = head.length;
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> exporter.producedBytes() - producedBefore - read < MAX_AHEAD);
            assertThat(openExports()).as("the export waits for its client").isEqualTo(1);

            CSVFormat withHeader = AuditExport.CSV.builder().setHeader().setSkipHeaderRecord(true).get();
            long rows = 0;
            Verifier chain = new Verifier();
            try (CSVParser csv = CSVParser.builder().setReader(new InputStreamReader(
                    new SequenceInputStream(new ByteArrayInputStream(head), body), StandardCharsets.UTF_8)).setFormat(withHeader).get()) {
                assertThat(csv.getHeaderNames()).isEqualTo(AuditEntry.FIELDS);
                for (CSVRecord record : csv) {
                    chain.check(fromCsv(record));
                    assertThat(record.get("action")).isEqualTo(BULK);
                    rows++;
                    if (rows % 25_000 == 0) {
                        maxGrowth = Math.max(maxGrowth, usedMemoryAfterGc() - baseline);
                    }
                }
            }
            assertThat(rows).isEqualTo(ROWS);
            assertThat(chain.linked).as("consecutive rows chain onto each other").isEqualTo(ROWS - 1);
            long size = body.count;
            assertThat(size).isGreaterThan(ROWS * 1_500L);
            // Heap growth is printed, not asserted: in a JVM shared with the rest of the suite it also counts other tests'
            // leftovers (5 to 11 MB alone, 56 MB once in a full run), while the produced-versus-read bound above is exact.
            System.out.printf("audit export: %,d bytes streamed, largest memory growth while streaming %,d bytes%n", size, maxGrowth);
            assertThat(size).isGreaterThan(MAX_AHEAD * 10);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> openExports() == 0);
    }

    @Test
    void csvKeepsQuotesCommasNewlinesAndMissingValuesExactly() throws Exception {
        HttpResponse<InputStream> response = export("format=csv&action=" + q(TRICKY));
        assertThat(response.statusCode()).isEqualTo(200);
        List<AuditRecord> exported = new ArrayList<>();
        try (CSVParser csv = CSVParser.builder().setReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))
                .setFormat(AuditExport.CSV.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            for (CSVRecord record : csv) {
                exported.add(fromCsv(record));
            }
        }
        assertThat(exported).hasSize(2);
        assertExactlyAsStored(exported);
        AuditRecord awkward = exported.get(0);
        assertThat(awkward.actorEmail()).isEqualTo("o'brien,\"the\" admin@example.test");
        assertThat(awkward.userAgent()).isEqualTo("ua, with \"quotes\"\nand a newline");
        assertThat(awkward.ip()).isEmpty();
        assertThat(awkward.actorId()).isNull();
        assertThat(WebSession.parse(awkward.details()).path("note").asText()).isEqualTo(AWKWARD);
        AuditRecord empty = exported.get(1);
        assertThat(empty.userAgent()).isEmpty();
        assertThat(empty.ip()).isNull();
        assertThat(empty.targetType()).isEmpty();
        assertThat(empty.targetId()).isNull();
        assertThat(empty.connector()).isEmpty();
        assertThat(empty.actorEmail()).isNull();
        new Verifier().checkAll(exported);
    }

    @Test
    void jsonLinesHaveOneObjectPerLineWithTheSameFields() throws Exception {
        HttpResponse<InputStream> response = export("format=jsonl&action=" + q(TRICKY));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).endsWith(".jsonl\"");
        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).endsWith("\n");
        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(2);
        List<AuditRecord> exported = new ArrayList<>();
        for (String line : lines) {
            JsonNode row = WebSession.parse(line);
            List<String> names = new ArrayList<>();
            row.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(AuditEntry.FIELDS);
            exported.add(new AuditRecord(row.path("seq").asLong(), Instant.parse(row.path("occurredAt").asText()),
                    row.path("actorId").isNull() ? null : UUID.fromString(row.path("actorId").asText()), text(row, "actorEmail"),
                    text(row, "action"), text(row, "outcome"), text(row, "targetType"), text(row, "targetId"), text(row, "connector"),
                    text(row, "ip"), text(row, "userAgent"), text(row, "requestId"), text(row, "details"),
                    HexFormat.of().parseHex(text(row, "prevHash")), HexFormat.of().parseHex(text(row, "hash"))));
        }
        assertExactlyAsStored(exported);
        new Verifier().checkAll(exported);
    }

    @Test
    void anExportWithNoRowsIsAFileWithJustItsHeaderOrNothing() throws Exception {
        HttpResponse<InputStream> csv = export("format=csv&action=nothing.matches");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(new String(csv.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(String.join(",",
                AuditEntry.FIELDS.stream().map(f -> "\"" + f + "\"").toList()) + "\r\n");
        HttpResponse<InputStream> jsonl = export("format=jsonl&action=nothing.matches");
        assertThat(jsonl.statusCode()).isEqualTo(200);
        assertThat(jsonl.body().readAllBytes()).isEmpty();
    }

    @Test
    void theExportIsAuditedBeforeItsFirstRowIsRead() throws Exception {
        HttpResponse<InputStream> response = export("format=jsonl&action=audit.exported&outcome=success");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new String(response.body().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        // Its own audit row was committed before the query ran, so the file holds it (last: rows are oldest first).
        JsonNode own = WebSession.parse(lines.getLast());
        assertThat(own.path("action").asText()).isEqualTo("audit.exported");
        assertThat(own.path("actorEmail").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(own.path("ip").asText()).isNotEmpty();
        JsonNode details = WebSession.parse(own.path("details").asText());
        assertThat(details.path("format").asText()).isEqualTo("jsonl");
        assertThat(details.path("filters")).isEqualTo(WebSession.parse("{\"action\":\"audit.exported\",\"outcome\":\"SUCCESS\"}"));
    }

    @Test
    void whenTheExportCannotBeAuditedItIsRefusedAndNothingIsSent() throws Exception {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> refused;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                refused = admin.get("/api/v1/admin/audit/export?format=csv&action=" + q(TRICKY));
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }
        assertProblem(refused, 503, "audit-unavailable", null);
        assertThat(refused.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(refused.body()).doesNotContain("occurredAt").doesNotContain(TRICKY);
    }

    @Test
    void whenTheRowsCannotBeReadTheExportIsA503BeforeAnyByte() throws Exception {
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> refused;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            // The portal may still append (the writer reads only seq and hash), but not read whole rows.
            s.execute("revoke select on audit_events from \"" + app + "\"");
            s.execute("grant select (seq, hash) on audit_events to \"" + app + "\"");
            try {
                refused = admin.get("/api/v1/admin/audit/export?format=jsonl&action=" + q(TRICKY));
            } finally {
                s.execute("revoke select (seq, hash) on audit_events from \"" + app + "\"");
                s.execute("grant select on audit_events to \"" + app + "\"");
            }
        }
        assertProblem(refused, 503, "audit-unreadable", null);
        assertThat(refused.body()).doesNotContain(TRICKY);
    }

    // --- helpers ---

    private static String text(JsonNode row, String field) {
        return row.path(field).isNull() ? null : row.path(field).asText();
    }

    private static AuditRecord fromCsv(CSVRecord r) {
        HexFormat hex = HexFormat.of();
        return new AuditRecord(Long.parseLong(r.get("seq")), Instant.parse(r.get("occurredAt")),
                r.get("actorId") == null ? null : UUID.fromString(r.get("actorId")), r.get("actorEmail"), r.get("action"),
                r.get("outcome"), r.get("targetType"), r.get("targetId"), r.get("connector"), r.get("ip"), r.get("userAgent"),
                r.get("requestId"), r.get("details"), hex.parseHex(r.get("prevHash")), hex.parseHex(r.get("hash")));
    }

    /** Each exported row equals the stored one, column by column (null stays null, empty stays empty). */
    private static void assertExactlyAsStored(List<AuditRecord> exported) throws SQLException {
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select " + AuditEntry.COLUMNS + " from audit_events where action = '" + TRICKY + "' order by seq")) {
            for (AuditRecord e : exported) {
                assertThat(rs.next()).isTrue();
                AuditEntry stored = AuditEntry.read(rs);
                assertThat(new Object[] {e.seq(), e.occurredAt(), e.actorId(), e.actorEmail(), e.action(), e.outcome(), e.targetType(),
                        e.targetId(), e.connector(), e.ip(), e.userAgent(), e.requestId(), e.details(), HexFormat.of().formatHex(e.prevHash()),
                        HexFormat.of().formatHex(e.hash())})
                        .containsExactly(stored.seq(), stored.occurredAt(), stored.actorId(), stored.actorEmail(), stored.action(),
                                stored.outcome(), stored.targetType(), stored.targetId(), stored.connector(), stored.ip(), stored.userAgent(),
                                stored.requestId(), stored.details(), stored.prevHash(), stored.hash());
            }
            assertThat(rs.next()).isFalse();
        }
    }

    /** What an auditor does with an export: recompute each row's hash and check consecutive rows link up. */
    private static final class Verifier {
        long lastSeq = -1;
        byte[] lastHash;
        long linked;

        void check(AuditRecord row) {
            assertThat(AuditChain.hash(row.prevHash(), row)).as("hash of row %d", row.seq()).isEqualTo(row.hash());
            if (row.seq() == lastSeq + 1) {
                assertThat(row.prevHash()).as("link of row %d", row.seq()).isEqualTo(lastHash);
                linked++;
            }
            lastSeq = row.seq();
            lastHash = row.hash();
        }

        void checkAll(List<AuditRecord> rows) {
            rows.forEach(this::check);
        }
    }

    /** Sessions of this database with the export's cursor open (a read-only transaction between fetches or fetching). */
    private static int openExports() throws SQLException {
        try (Connection c = portal.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                     + " and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')"
                     + " and query like 'select seq, occurred_at,%from audit_events where action = $1 order by seq'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The portal runs in this JVM: its heap plus Netty's direct buffers, after a full collection. */
    private static long usedMemoryAfterGc() {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
        return heap + direct;
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
