package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.Origin;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail reaches real collectors on loopback, in order and at least once: over HTTP and syslog TCP, through
 * a collector outage, with one shipping node at a time. The shipper polls every 100 ms and retries after 50-200 ms
 * here, so waiting (always with a deadline) stays short.
 */
class SiemDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static TestPortal portal;
    private static WebSession admin;

    @BeforeAll
    static void start() {
        portal = TestPortal.withProperties(Map.of("gatehouse.siem.poll-interval", "100ms", "gatehouse.siem.retry-initial", "50ms",
                "gatehouse.siem.retry-max", "200ms", "gatehouse.siem.request-timeout", "5s", "gatehouse.siem.lease", "10s"));
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    /**
     * Every test starts from an idle export with the cursor at 0, so its collector must receive the whole trail. The
     * previous test ended caught up, and the shipper reads settings and cursor in one statement and moves the cursor
     * only from where it read it, so a round still under way cannot move this reset cursor.
     */
    @BeforeEach
    void startFromTheBeginning() throws SQLException {
        configure(Map.of("enabled", false, "transport", "HTTP", "url", "http://127.0.0.1:9/unused"));
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.executeUpdate("update siem_cursor set last_seq = 0, delivered = 0, failures = 0, last_error = null, last_error_at = null,"
                    + " last_success_at = null");
        }
    }

    private static JsonNode configure(Map<String, Object> settings) {
        HttpResponse<String> response = admin.putJson("/api/v1/admin/siem", settings);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WebSession.parse(response.body());
    }

    private static JsonNode status() {
        return WebSession.parse(admin.get("/api/v1/admin/siem").body()).path("status");
    }

    /** Writes audit rows whose request ids are {@code <tag>-0}, {@code <tag>-1} ..., so a test finds its own among all. */
    private static void writeEvents(int count, String action, String tag) {
        AuditTrail trail = portal.bean(AuditTrail.class);
        for (int i = 0; i < count; i++) {
            trail.record(AuditEvent.of(action).actor(UUID.randomUUID(), "worker" + i + "@example.com")
                    .origin(new Origin("192.0.2." + (i + 1), "test-agent/1.0", tag + "-" + i)).target("tool", "demo__run_query")
                    .connector("demo").detail("rows", i));
        }
    }

    private static long maxSeq() throws SQLException {
        try (Connection owner = portal.sql(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("select max(seq) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    /** Waits until the collector acknowledged everything written so far (nothing else writes audit rows meanwhile). */
    private static long awaitCaughtUp() {
        long[] last = new long[1];
        await().atMost(DEADLINE).until(() -> {
            last[0] = maxSeq();
            JsonNode status = status();
            return status.path("cursor").asLong() == last[0] && status.path("lag").asLong() == 0;
        });
        return last[0];
    }

    @Test
    void everyAuditEventArrivesInOrderAsOcsfJsonLinesWithTheAuthorizationHeader() throws SQLException {
        try (HttpCollectorServer collector = new HttpCollectorServer()) {
            writeEvents(25, "tool.call", "ordered");
            configure(Map.of("enabled", true, "transport", "HTTP", "url", collector.url(), "authorization", "Bearer siem-token-123",
                    "batchSize", 10));

            long last = awaitCaughtUp();

            assertThat(collector.acceptedSeqs()).isEqualTo(oneTo(last));
            for (HttpCollectorServer.Received batch : collector.received()) {
                assertThat(batch.answered()).isEqualTo(200);
                assertThat(batch.contentType()).isEqualTo("application/x-ndjson");
                assertThat(batch.authorization()).isEqualTo("Bearer siem-token-123");
                assertThat(batch.body()).endsWith("\n");
                assertThat(batch.seqs()).hasSizeLessThanOrEqualTo(10);
            }
            List<JsonNode> calls = collector.acceptedEvents().stream()
                    .filter(e -> e.path("metadata").path("correlation_uid").asText().startsWith("ordered-")).toList();
            assertThat(calls).hasSize(25);
            for (int i = 0; i < calls.size(); i++) {
                JsonNode e = calls.get(i);
                assertThat(e.path("class_uid").asInt()).isEqualTo(6003);
                assertThat(e.path("class_name").asText()).isEqualTo("API Activity");
                assertThat(e.path("time").asLong()).isEqualTo(portal.clock.instant().toEpochMilli());
                assertThat(e.path("status_id").asInt()).isEqualTo(1);
                assertThat(e.path("severity_id").asInt()).isEqualTo(1);
                assertThat(e.path("actor").path("user").path("email_addr").asText()).isEqualTo("worker" + i + "@example.com");
                assertThat(e.path("src_endpoint").path("ip").asText()).isEqualTo("192.0.2." + (i + 1));
                assertThat(e.path("http_request").path("user_agent").asText()).isEqualTo("test-agent/1.0");
                assertThat(e.path("activity_name").asText()).isEqualTo("tool.call");
                assertThat(e.path("metadata").path("correlation_uid").asText()).isEqualTo("ordered-" + i);
                assertThat(e.path("metadata").path("product").path("name").asText()).isEqualTo("Gatehouse");
                assertThat(e.path("metadata").path("version").asText()).isEqualTo("1.4.0");
                assertThat(e.path("unmapped").path("details").path("rows").asInt()).isEqualTo(i);
                assertThat(e.path("unmapped").path("hash").asText()).hasSize(64);
            }
            JsonNode status = status();
            assertThat(status.path("delivered").asLong()).isEqualTo(last);
            assertThat(status.path("lastSuccessAt").asText()).isEqualTo(portal.clock.instant().toString());
            assertThat(status.path("failures").asInt()).isZero();
            assertThat(status.path("shippingNode").asText()).isEqualTo(status.path("thisNode").asText());
        }
    }

    @Test
    void whileTheCollectorAnswers503TheCursorStaysAndAfterwardsEveryEventArrives() throws SQLException {
        try (HttpCollectorServer collector = new HttpCollectorServer()) {
            collector.answer(503);
            writeEvents(15, "model.call", "outage");
            configure(Map.of("enabled", true, "transport", "HTTP", "url", collector.url(), "batchSize", 7));

            await().atMost(DEADLINE).until(() -> status().path("failures").asInt() >= 3);
            JsonNode failing = status();
            assertThat(failing.path("cursor").asLong()).isZero();
            assertThat(failing.path("lag").asLong()).isEqualTo(maxSeq());
            assertThat(failing.path("lastError").asText()).contains("answered HTTP 503");
            assertThat(failing.path("lastSuccessAt").isNull()).isTrue();

            writeEvents(12, "model.call", "outage-more"); // more happens while the collector is down
            collector.answer(200);
            long last = awaitCaughtUp();

            assertThat(collector.acceptedSeqs()).as("every event acknowledged exactly once, in order").isEqualTo(oneTo(last));
            List<HttpCollectorServer.Received> refused = collector.received().stream().filter(r -> !r.accepted()).toList();
            assertThat(refused).hasSizeGreaterThanOrEqualTo(3);
            // A refused batch is sent again as it was: the same first rows, from the unchanged cursor.
            assertThat(refused).allSatisfy(r -> assertThat(r.seqs().getFirst()).isEqualTo(1L));
            Set<Long> seen = new HashSet<>();
            Set<Long> repeated = new HashSet<>();
            collector.received().forEach(r -> r.seqs().forEach(seq -> {
                if (!seen.add(seq)) {
                    repeated.add(seq);
                }
            }));
            Set<Long> inRefused = new HashSet<>();
            refused.forEach(r -> inRefused.addAll(r.seqs()));
            assertThat(inRefused).containsAll(repeated);
            JsonNode recovered = status();
            assertThat(recovered.path("failures").asInt()).isZero();
            assertThat(recovered.path("lastSuccessAt").isNull()).isFalse();
            assertThat(recovered.path("lastError").asText()).as("the last error stays visible").contains("503");
        }
    }

    @Test
    void syslogFramesParseAndEveryEventArrivesAfterTheCollectorWasDown() throws Exception {
        try (SyslogCollectorServer collector = new SyslogCollectorServer()) {
            collector.stop();
            writeEvents(9, "auth.sign_in", "syslog");
            configure(Map.of("enabled", true, "transport", "SYSLOG_TCP", "host", "127.0.0.1", "port", collector.port(), "batchSize", 4));

            await().atMost(DEADLINE).until(() -> status().path("failures").asInt() >= 2);
            assertThat(status().path("cursor").asLong()).isZero();
            assertThat(status().path("lastError").asText()).contains("syslog+tcp://127.0.0.1:" + collector.port());

            collector.restart();
            long last = awaitCaughtUp();

            assertThat(collector.framingErrors()).isEmpty();
            List<Long> seqs = new ArrayList<>();
            for (String message : collector.messages()) {
                Matcher m = SyslogMessageTest.RFC5424.matcher(message);
                assertThat(m.matches()).as(message).isTrue();
                assertThat(m.group(4)).isEqualTo("gatehouse");
                JsonNode event = JSON.readTree(m.group(7));
                seqs.add(Long.parseLong(event.path("metadata").path("uid").asText()));
                assertThat(m.group(6)).isEqualTo(event.path("activity_name").asText());
                if (event.path("activity_name").asText().equals("auth.sign_in")) {
                    assertThat(Integer.parseInt(m.group(1))).isEqualTo(13 * 8 + 6);
                    assertThat(event.path("class_uid").asInt()).isEqualTo(3002);
                    assertThat(event.path("activity_id").asInt()).isEqualTo(1);
                    // The test's own sign-ins and the admin's (every sign-in is audited) both arrive.
                    assertThat(event.path("user").path("email_addr").asText()).matches("[^@\\s]+@example\\.(com|test)");
                }
            }
            assertThat(seqs).isEqualTo(oneTo(last));
        }
    }

    @Test
    void aTestEventIsRecordedInTheTrailAndSentAtOnce() {
        try (HttpCollectorServer collector = new HttpCollectorServer()) {
            configure(Map.of("enabled", false, "transport", "HTTP", "url", collector.url()));

            JsonNode result = WebSession.parse(admin.postJson("/api/v1/admin/siem/test", Map.of()).body());
            assertThat(result.path("delivered").asBoolean()).as(result.toString()).isTrue();
            long seq = result.path("seq").asLong();
            assertThat(collector.received()).hasSize(1);
            JsonNode event = collector.received().getFirst().events().getFirst();
            assertThat(event.path("activity_name").asText()).isEqualTo("siem.test");
            assertThat(event.path("metadata").path("uid").asText()).isEqualTo(Long.toString(seq));
            assertThat(event.path("actor").path("user").path("email_addr").asText()).isEqualTo(TestPortal.ADMIN_EMAIL);

            collector.answer(500);
            JsonNode failed = WebSession.parse(admin.postJson("/api/v1/admin/siem/test", Map.of()).body());
            assertThat(failed.path("delivered").asBoolean()).isFalse();
            assertThat(failed.path("seq").asLong()).isGreaterThan(seq);
            assertThat(failed.path("error").asText()).contains("answered HTTP 500");
        }
    }

    @Test
    void aNodeShipsOnlyWhileItHoldsTheLease() throws SQLException {
        SiemShipper shipper = portal.bean(SiemShipper.class);
        SiemStore store = portal.bean(SiemStore.class);
        shipper.stop(); // this node's own shipper would otherwise take part
        try {
            Duration lease = Duration.ofSeconds(10);
            assertThat(store.claim("node-a", lease)).as("disabled: nobody ships").isEmpty();
            configure(Map.of("enabled", true, "transport", "HTTP", "url", "http://127.0.0.1:9/unused"));

            assertThat(store.claim("node-a", lease)).isPresent();
            assertThat(store.claim("node-b", lease)).as("a live lease excludes the others").isEmpty();
            assertThat(store.claim("node-a", lease)).as("the holder renews").isPresent();

            try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
                s.executeUpdate("update siem_cursor set lease_until = clock_timestamp() - interval '1 second'");
            }
            assertThat(store.claim("node-b", lease)).as("an expired lease is taken over").isPresent();
            assertThat(store.claim("node-a", lease)).isEmpty();

            store.release("node-b");
            assertThat(store.claim("node-a", lease)).as("a released lease is free at once").isPresent();
            assertThat(store.advance(5, 10, 5, portal.clock.instant())).as("the cursor moves only from where it is").isFalse();
            assertThat(status().path("cursor").asLong()).isZero();
        } finally {
            configure(Map.of("enabled", false, "transport", "HTTP", "url", "http://127.0.0.1:9/unused"));
            store.release("node-a");
            shipper.start();
        }
    }

    @Test
    void withTwoNodesOnlyTheLeaseHolderShipsAndTheOtherTakesOverWhenItLeaves() throws SQLException {
        try (HttpCollectorServer collector = new HttpCollectorServer()) {
            String first = portal.bean(SiemShipper.class).node();
            try (TestPortal second = portal.secondNode()) {
                String other = second.bean(SiemShipper.class).node();
                // The other node holds the lease: this node keeps polling every 100 ms but must not ship.
                try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
                    s.executeUpdate("update siem_cursor set lease_owner = '" + other + "', lease_until = clock_timestamp() + interval '1 hour'");
                }
                writeEvents(30, "tool.call", "two-nodes");
                configure(Map.of("enabled", true, "transport", "HTTP", "url", collector.url(), "batchSize", 5));

                awaitCaughtUp();
                assertThat(status().path("shippingNode").asText()).isEqualTo(other);
            } // the other node stops and gives the lease up
            writeEvents(10, "tool.call", "after-handover");
            long last = awaitCaughtUp();

            assertThat(collector.acceptedSeqs()).as("every event once, in order, across the hand-over").isEqualTo(oneTo(last));
            assertThat(status().path("shippingNode").asText()).isEqualTo(first);
        }
    }
}
