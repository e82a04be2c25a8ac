package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.error.GatehouseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each setting is checked on its own, with a message naming the field; the backoff doubles up to its cap. */
class SiemRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"ftp://siem.example.com/x", "siem.example.com:8088", "https://", "https://user:pw@siem.example.com/",
        "https://siem.example.com/#frag", "http://exa mple.com/", "file:///etc/passwd", "javascript:alert(1)"})
    void badUrlsAreRefused(String url) {
        assertThatThrownBy(() -> SiemRules.url(url)).isInstanceOfSatisfying(GatehouseException.BadRequest.class,
                e -> assertThat(e.field()).isEqualTo("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://siem.example.com:8088/services/collector/raw", "http://127.0.0.1:9000/ingest?source=gatehouse",
        "https://[::1]:8443/"})
    void goodUrlsAreKept(String url) {
        assertThat(SiemRules.url("  " + url + " ").toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"siem .example.com", "-bad.example.com", "host:514", "999.1.1.1", "under_score.example.com", "a/b"})
    void badHostsAreRefused(String host) {
        assertThatThrownBy(() -> SiemRules.host(host)).isInstanceOfSatisfying(GatehouseException.BadRequest.class,
                e -> assertThat(e.field()).isEqualTo("host"));
    }

    @Test
    void hostsAreNamesOrAddresses() {
        assertThat(SiemRules.host("SIEM.example.com")).isEqualTo("siem.example.com");
        assertThat(SiemRules.host("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(SiemRules.host("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(SiemRules.host("localhost")).isEqualTo("localhost");
    }

    @Test
    void portsAndBatchSizesHaveRanges() {
        assertThatThrownBy(() -> SiemRules.port(0)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> SiemRules.port(65_536)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> SiemRules.port(null)).hasMessageContaining("port");
        assertThat(SiemRules.port(601)).isEqualTo(601);
        assertThat(SiemRules.batchSize(null)).isEqualTo(100);
        assertThatThrownBy(() -> SiemRules.batchSize(1001)).isInstanceOfSatisfying(GatehouseException.BadRequest.class,
                e -> assertThat(e.field()).isEqualTo("batchSize"));
    }

    @Test
    void anAuthorizationValueCannotCarryALineBreakAndIsNeverEchoed() {
        assertThatThrownBy(() -> SiemRules.authorization("Bearer s3cr3t\r\nX-Evil: 1"))
                .isInstanceOfSatisfying(GatehouseException.BadRequest.class, e -> assertThat(e.field()).isEqualTo("authorization"))
                .message().doesNotContain("s3cr3t");
        assertThat(SiemRules.authorization(" Splunk 1234-abcd ")).isEqualTo("Splunk 1234-abcd");
    }

    @Test
    void transportsAreNamed() {
        assertThat(SiemRules.transport("syslog_tcp")).isEqualTo(Transport.SYSLOG_TCP);
        assertThatThrownBy(() -> SiemRules.transport("UDP")).hasMessageContaining("HTTP or SYSLOG_TCP");
    }

    @Test
    void theBackoffDoublesFromTheFirstWaitUpToTheCap() {
        SiemProperties p = new SiemProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofMinutes(2), null);
        assertThat(p.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoff(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(p.backoff(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.backoff(1_000)).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new SiemProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(40), null)).hasMessageContaining("lease");
    }
}
