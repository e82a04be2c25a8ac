package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5424 header fields and RFC 6587 octet counting, byte for byte. */
class SyslogMessageTest {

    /** RFC 5424 HEADER SP STRUCTURED-DATA SP MSG, with our fixed APP-NAME and NILVALUE structured data. */
    static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{1,6}Z) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) - (.*)",
            Pattern.DOTALL);

    private final OcsfLines lines = new OcsfLines(new ObjectMapper());

    @Test
    void theMessageHasEveryHeaderFieldAndTheEventAsAsciiJson() throws Exception {
        AuditRecord row = OcsfEventTest.row(77, "tool.call", "DENIED");
        String message = SyslogMessage.message(row, "node-1.example.com", 4242, lines.ascii(row));
        Matcher m = RFC5424.matcher(message);
        assertThat(m.matches()).as(message).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(13 * 8 + 5);
        assertThat(m.group(2)).isEqualTo("2026-11-25T09:00:00.123456Z");
        assertThat(m.group(3)).isEqualTo("node-1.example.com");
        assertThat(m.group(4)).isEqualTo("gatehouse");
        assertThat(m.group(5)).isEqualTo("4242");
        assertThat(m.group(6)).isEqualTo("tool.call");
        assertThat(m.group(7)).isEqualTo(lines.ascii(row));
        assertThat(m.group(7).chars().allMatch(c -> c < 128)).as("non-ASCII is escaped").isTrue();
        assertThat(new ObjectMapper().readTree(m.group(7)).path("unmapped").path("details").path("note").asText()).isEqualTo("ünïcode");
    }

    @Test
    void theFrameCountsTheMessageBytes() {
        String message = "<110>1 2026-11-25T09:00:00.000000Z host gatehouse 1 x - {\"a\":\"é\"}";
        byte[] frame = SyslogMessage.frame(message);
        String text = new String(frame, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        int length = Integer.parseInt(text.substring(0, space));
        assertThat(length).isEqualTo(message.getBytes(StandardCharsets.UTF_8).length).isEqualTo(frame.length - space - 1);
        assertThat(text.substring(space + 1)).isEqualTo(message);
    }

    @ParameterizedTest
    @CsvSource({"SUCCESS, 110", "DENIED, 109", "FAILURE, 108"})
    void thePriorityIsTheAuditFacilityWithTheOutcomesSeverity(String outcome, int pri) {
        AuditRecord row = OcsfEventTest.row(1, "auth.sign_in", outcome);
        assertThat(SyslogMessage.message(row, "h", 1, "{}")).startsWith("<" + pri + ">1 ");
    }

    @Test
    void headerFieldsAreMadePrintableAndBounded() {
        assertThat(SyslogMessage.header("my host\tname", 255)).isEqualTo("my_host_name");
        assertThat(SyslogMessage.header("x".repeat(40), 32)).hasSize(32);
        assertThat(SyslogMessage.header("", 32)).isEqualTo("-");
        assertThat(SyslogMessage.header(null, 32)).isEqualTo("-");
    }
}
