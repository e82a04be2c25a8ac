package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An audit event as an RFC 5424 syslog message, framed for TCP by octet counting (RFC 6587 3.4.1):
 * {@code MSG-LEN SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}. The MSG is the OCSF event as JSON with
 * every non-ASCII character escaped, so it is plain ASCII (RFC 5424 MSG-ANY: no BOM, no encoding to guess) and
 * every byte counts once in MSG-LEN.
 */
final class SyslogMessage {

    /** RFC 5424 facility 13, "log audit". */
    static final int FACILITY_LOG_AUDIT = 13;
    static final String APP_NAME = "gatehouse";
    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_MSGID = 32;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SyslogMessage() {
    }

    /** Severity from the outcome: done → informational (6), refused → notice (5), broke → warning (4). */
    static int severity(String outcome) {
        return switch (outcome) {
            case "DENIED" -> 5;
            case "FAILURE" -> 4;
            default -> 6;
        };
    }

    /** The message without framing. {@code asciiJson} must be ASCII (see {@link OcsfLines#ascii}). */
    static String message(AuditRecord row, String hostname, long procId, String asciiJson) {
        int pri = FACILITY_LOG_AUDIT * 8 + severity(row.outcome());
        return "<" + pri + ">1 " + timestamp(row.occurredAt()) + " " + header(hostname, MAX_HOSTNAME) + " " + APP_NAME + " " + procId
                + " " + header(row.action(), MAX_MSGID) + " - " + asciiJson;
    }

    /** Octet-counting frame: the message's length in bytes, a space, the message (no trailer). */
    static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(body, 0, frame, prefix.length, body.length);
        return frame;
    }

    static String timestamp(Instant time) {
        return TIMESTAMP.format(time);
    }

    /** A header field: printable US-ASCII without spaces (RFC 5424 PRINTUSASCII), bounded, or the NILVALUE. */
    static String header(String value, int max) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.isEmpty() ? "-" : out.toString();
    }
}
