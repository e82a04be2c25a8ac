package io.gatehouse.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditRecord;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each audit row becomes an OCSF object whose class, activity, status and fields a SIEM can file. */
class OcsfEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ACTOR = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final byte[] PREV = new byte[32];
    private static final byte[] HASH = HexFormat.of().parseHex("ab".repeat(32));

    static AuditRecord row(long seq, String action, String outcome) {
        return new AuditRecord(seq, Instant.parse("2026-11-25T09:00:00.123456Z"), ACTOR, "ann@example.com", action, outcome, "user",
                "9f0c", null, "192.0.2.7", "Mozilla/5.0", "req-42", "{\"rows\":3,\"note\":\"ünïcode\"}", PREV, HASH);
    }

    @ParameterizedTest(name = "{0} -> {1}/{3}")
    @CsvSource({
        "auth.sign_in,       3002, Authentication,          1, Authentication: Logon",
        "auth.sign_out,      3002, Authentication,          2, Authentication: Logoff",
        "auth.sign_in_failed,3002, Authentication,         99, Authentication: Other",
        "sso.sign_in,        3002, Authentication,          1, Authentication: Logon",
        "user.approved,      3001, Account Change,          2, Account Change: Enable",
        "user.disabled,      3001, Account Change,          5, Account Change: Disable",
        "password.password_changed, 3001, Account Change,   3, Account Change: Password Change",
        "mfa.mfa_reset,      3001, Account Change,         11, Account Change: MFA Factor Disable",
        "role.updated,       3005, User Access Management, 99, User Access Management: Other",
        "grant.granted,      3005, User Access Management,  1, User Access Management: Assign Privileges",
        "access.revoked,     3005, User Access Management,  2, User Access Management: Revoke Privileges",
        "tool.call,          6003, API Activity,           99, API Activity: Other",
        "model.call,         6003, API Activity,           99, API Activity: Other",
        "connector.updated,  6003, API Activity,            3, API Activity: Update",
        "connector.created,  6003, API Activity,            1, API Activity: Create",
        "audit.exported,     6003, API Activity,            2, API Activity: Read",
        "kill_switch.engaged,6003, API Activity,            3, API Activity: Update",
        "siem.test,          6003, API Activity,           99, API Activity: Other",
        "unfamiliar,         6003, API Activity,           99, API Activity: Other"})
    void theClassAndActivityFollowTheActionFamilyAndVerb(String action, int classUid, String className, int activityId, String typeName) {
        JsonNode event = OcsfEvent.of(row(7, action, "SUCCESS"), JSON);
        assertThat(event.path("class_uid").asInt()).isEqualTo(classUid);
        assertThat(event.path("class_name").asText()).isEqualTo(className);
        assertThat(event.path("category_uid").asInt()).isEqualTo(classUid / 1000);
        assertThat(event.path("activity_id").asInt()).isEqualTo(activityId);
        assertThat(event.path("activity_name").asText()).isEqualTo(action);
        assertThat(event.path("type_uid").asLong()).isEqualTo(classUid * 100L + activityId);
        assertThat(event.path("type_name").asText()).isEqualTo(typeName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        "SUCCESS, 1, Informational, 1, Success, null",
        "DENIED,  2, Low,           2, Failure, Denied",
        "FAILURE, 3, Medium,        2, Failure, Failed"})
    void theOutcomeBecomesStatusAndSeverity(String outcome, int severityId, String severity, int statusId, String status, String detail) {
        JsonNode event = OcsfEvent.of(row(7, "tool.call", outcome), JSON);
        assertThat(event.path("severity_id").asInt()).isEqualTo(severityId);
        assertThat(event.path("severity").asText()).isEqualTo(severity);
        assertThat(event.path("status_id").asInt()).isEqualTo(statusId);
        assertThat(event.path("status").asText()).isEqualTo(status);
        if (detail == null) {
            assertThat(event.has("status_detail")).isFalse();
        } else {
            assertThat(event.path("status_detail").asText()).isEqualTo(detail);
        }
    }

    @Test
    void everyCommonFieldIsFilledFromTheRow() {
        JsonNode event = OcsfEvent.of(row(1234, "tool.call", "SUCCESS"), JSON);
        assertThat(event.path("time").asLong()).isEqualTo(Instant.parse("2026-11-25T09:00:00.123Z").toEpochMilli());
        assertThat(event.path("actor").path("user").path("uid").asText()).isEqualTo(ACTOR.toString());
        assertThat(event.path("actor").path("user").path("email_addr").asText()).isEqualTo("ann@example.com");
        assertThat(event.path("src_endpoint").path("ip").asText()).isEqualTo("192.0.2.7");
        assertThat(event.path("http_request").path("user_agent").asText()).isEqualTo("Mozilla/5.0");
        JsonNode metadata = event.path("metadata");
        assertThat(metadata.path("uid").asText()).isEqualTo("1234");
        assertThat(metadata.path("sequence").asLong()).isEqualTo(1234);
        assertThat(metadata.path("correlation_uid").asText()).isEqualTo("req-42");
        assertThat(metadata.path("version").asText()).isEqualTo("1.4.0");
        assertThat(metadata.path("product").path("name").asText()).isEqualTo("Gatehouse");
        JsonNode unmapped = event.path("unmapped");
        assertThat(unmapped.path("details").path("rows").asInt()).isEqualTo(3);
        assertThat(unmapped.path("details").path("note").asText()).isEqualTo("ünïcode");
        assertThat(unmapped.path("hash").asText()).isEqualTo("ab".repeat(32));
        assertThat(unmapped.path("prev_hash").asText()).isEqualTo("00".repeat(32));
        assertThat(unmapped.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(unmapped.path("target_type").asText()).isEqualTo("user");
        assertThat(unmapped.path("target_id").asText()).isEqualTo("9f0c");
        assertThat(event.path("api").path("operation").asText()).isEqualTo("tool.call");
        assertThat(event.path("resources").get(0).path("type").asText()).isEqualTo("user");
    }

    @Test
    void aToolCallNamesItsConnectorAsTheApiService() {
        AuditRecord call = new AuditRecord(5, Instant.parse("2026-11-25T09:00:00Z"), ACTOR, "ann@example.com", "tool.call", "SUCCESS",
                "tool", "demo__run_query", "demo", null, null, null, "{}", PREV, HASH);
        JsonNode event = OcsfEvent.of(call, JSON);
        assertThat(event.path("api").path("service").path("name").asText()).isEqualTo("demo");
        assertThat(event.path("unmapped").path("connector").asText()).isEqualTo("demo");
        assertThat(event.has("src_endpoint")).as("absent values are left out").isFalse();
        assertThat(event.path("metadata").has("correlation_uid")).isFalse();
    }

    @Test
    void signInNamesTheUserAndAccountChangesNameTheTargetUser() {
        assertThat(OcsfEvent.of(row(1, "auth.sign_in", "SUCCESS"), JSON).path("user").path("email_addr").asText()).isEqualTo("ann@example.com");
        assertThat(OcsfEvent.of(row(1, "user.disabled", "SUCCESS"), JSON).path("user").path("uid").asText()).isEqualTo("9f0c");
    }

    @Test
    void thePortalActingOnItsOwnIsTheActor() {
        AuditRecord purge = new AuditRecord(9, Instant.parse("2026-11-25T09:00:00Z"), null, null, "retention.purged", "SUCCESS",
                null, null, null, null, null, null, "not json", PREV, HASH);
        JsonNode event = OcsfEvent.of(purge, JSON);
        assertThat(event.path("actor").path("app_name").asText()).isEqualTo("Gatehouse");
        assertThat(event.path("actor").has("user")).isFalse();
        assertThat(event.path("activity_id").asInt()).isEqualTo(4);
        assertThat(event.path("unmapped").path("details").asText()).as("unparseable details still ship, as text").isEqualTo("not json");
    }
}
