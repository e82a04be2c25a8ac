package io.gatehouse.siem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.ChainVerifier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One audit row as an OCSF event (schema 1.4.0), so a SIEM can file it without a Gatehouse-specific parser.
 *
 * <p>The class follows the action's family (its first dotted word): {@code auth}, {@code sso}, {@code session}
 * → 3002 Authentication; {@code user}, {@code account}, {@code password}, {@code mfa}, {@code token} → 3001
 * Account Change; {@code role}, {@code grant}, {@code access} → 3005 User Access Management; everything else
 * (tool and model calls, connector, kill-switch, budget, export and settings changes) → 6003 API Activity: each is
 * something done through the portal's API, and API Activity carries the operation ({@code api.operation}) and
 * the resource it touched. The activity comes from the action's last word where the class has a matching one
 * ({@code auth.sign_in} → Logon, {@code connector.updated} → Update), otherwise 99 Other; {@code activity_name}
 * is always our action, so nothing is lost to the mapping. Everything OCSF has no field for (outcome, target,
 * connector, the details and the chain hashes) is kept under {@code unmapped}. Absent values are left out, as
 * OCSF producers do.
 */
final class OcsfEvent {

    static final String SCHEMA_VERSION = "1.4.0";
    static final String PRODUCT = "Gatehouse";

    /** The OCSF classes used, with their category. */
    enum OcsfClass {
        ACCOUNT_CHANGE(3001, "Account Change", 3, "Identity & Access Management", Map.ofEntries(
                Map.entry("created", 1), Map.entry("approved", 2), Map.entry("enabled", 2), Map.entry("password_changed", 3),
                Map.entry("password_reset", 4), Map.entry("disabled", 5), Map.entry("rejected", 5), Map.entry("deleted", 6),
                Map.entry("locked", 9), Map.entry("mfa_enrolled", 10), Map.entry("mfa_enabled", 10), Map.entry("enrolled", 10),
                Map.entry("mfa_reset", 11), Map.entry("mfa_disabled", 11), Map.entry("unlocked", 12)),
                Map.of(1, "Create", 2, "Enable", 3, "Password Change", 4, "Password Reset", 5, "Disable", 6, "Delete",
                        9, "Lock", 10, "MFA Factor Enable", 11, "MFA Factor Disable", 12, "Unlock")),
        AUTHENTICATION(3002, "Authentication", 3, "Identity & Access Management", Map.of(
                "sign_in", 1, "login", 1, "logon", 1, "sign_out", 2, "logout", 2, "logoff", 2),
                Map.of(1, "Logon", 2, "Logoff")),
        USER_ACCESS(3005, "User Access Management", 3, "Identity & Access Management", Map.of(
                "granted", 1, "assigned", 1, "added", 1, "revoked", 2, "unassigned", 2, "removed", 2),
                Map.of(1, "Assign Privileges", 2, "Revoke Privileges")),
        API_ACTIVITY(6003, "API Activity", 6, "Application Activity", Map.ofEntries(
                Map.entry("created", 1), Map.entry("added", 1), Map.entry("registered", 1),
                Map.entry("read", 2), Map.entry("viewed", 2), Map.entry("exported", 2), Map.entry("listed", 2),
                Map.entry("updated", 3), Map.entry("changed", 3), Map.entry("engaged", 3), Map.entry("released", 3),
                Map.entry("deleted", 4), Map.entry("removed", 4), Map.entry("purged", 4)),
                Map.of(1, "Create", 2, "Read", 3, "Update", 4, "Delete"));

        final int uid;
        final String className;
        final int categoryUid;
        final String categoryName;
        private final Map<String, Integer> activityByVerb;
        private final Map<Integer, String> activityNames;

        OcsfClass(int uid, String className, int categoryUid, String categoryName, Map<String, Integer> activityByVerb,
                  Map<Integer, String> activityNames) {
            this.uid = uid;
            this.className = className;
            this.categoryUid = categoryUid;
            this.categoryName = categoryName;
            this.activityByVerb = activityByVerb;
            this.activityNames = activityNames;
        }

        int activityId(String action) {
            return activityByVerb.getOrDefault(action.substring(action.lastIndexOf('.') + 1), OTHER);
        }

        String activityLabel(int activityId) {
            return activityNames.getOrDefault(activityId, "Other");
        }
    }

    static final int OTHER = 99;
    private static final Set<String> AUTHENTICATION = Set.of("auth", "sso", "session");
    private static final Set<String> ACCOUNT = Set.of("user", "account", "password", "mfa", "token");
    private static final Set<String> ACCESS = Set.of("role", "grant", "access");

    private OcsfEvent() {
    }

    static OcsfClass classOf(String action) {
        int dot = action.indexOf('.');
        String family = (dot < 0 ? action : action.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (AUTHENTICATION.contains(family)) {
            return OcsfClass.AUTHENTICATION;
        }
        if (ACCOUNT.contains(family)) {
            return OcsfClass.ACCOUNT_CHANGE;
        }
        if (ACCESS.contains(family)) {
            return OcsfClass.USER_ACCESS;
        }
        return OcsfClass.API_ACTIVITY;
    }

    /** The row as an OCSF object. */
    static ObjectNode of(AuditRecord row, ObjectMapper json) {
        OcsfClass ocsf = classOf(row.action());
        int activity = ocsf.activityId(row.action());
        ObjectNode event = json.createObjectNode();
        event.put("class_uid", ocsf.uid);
        event.put("class_name", ocsf.className);
        event.put("category_uid", ocsf.categoryUid);
        event.put("category_name", ocsf.categoryName);
        event.put("activity_id", activity);
        event.put("activity_name", row.action());
        event.put("type_uid", ocsf.uid * 100L + activity);
        event.put("type_name", ocsf.className + ": " + ocsf.activityLabel(activity));
        event.put("time", row.occurredAt().toEpochMilli());
        Outcome outcome = Outcome.of(row.outcome());
        event.put("severity_id", outcome.severityId);
        event.put("severity", outcome.severity);
        event.put("status_id", outcome.statusId);
        event.put("status", outcome.status);
        if (outcome.statusDetail != null) {
            event.put("status_detail", outcome.statusDetail);
        }

        ObjectNode actor = event.putObject("actor");
        if (row.actorId() != null || row.actorEmail() != null) {
            ObjectNode user = actor.putObject("user");
            putIfPresent(user, "uid", row.actorId() == null ? null : row.actorId().toString());
            putIfPresent(user, "email_addr", row.actorEmail());
        } else {
            actor.put("app_name", PRODUCT); // the portal acting on its own (a purge, a start-up bootstrap)
        }
        if (row.ip() != null) {
            event.putObject("src_endpoint").put("ip", row.ip());
        }
        if (row.userAgent() != null) {
            event.putObject("http_request").put("user_agent", row.userAgent());
        }
        switch (ocsf) {
            case AUTHENTICATION -> {
                // The person signing in is both the actor and the class's user.
                if (actor.has("user")) {
                    event.set("user", actor.get("user").deepCopy());
                }
            }
            case ACCOUNT_CHANGE, USER_ACCESS -> {
                if ("user".equals(row.targetType()) && row.targetId() != null) {
                    event.putObject("user").put("uid", row.targetId());
                }
            }
            case API_ACTIVITY -> {
                ObjectNode api = event.putObject("api");
                api.put("operation", row.action());
                api.putObject("service").put("name", row.connector() != null ? row.connector() : PRODUCT);
                if (row.targetType() != null) {
                    ObjectNode resource = event.putArray("resources").addObject();
                    resource.put("type", row.targetType());
                    putIfPresent(resource, "uid", row.targetId());
                }
            }
        }

        ObjectNode metadata = event.putObject("metadata");
        metadata.put("uid", Long.toString(row.seq()));
        metadata.put("sequence", row.seq());
        putIfPresent(metadata, "correlation_uid", row.requestId());
        metadata.put("version", SCHEMA_VERSION);
        metadata.put("log_name", "audit");
        ObjectNode product = metadata.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);

        ObjectNode unmapped = event.putObject("unmapped");
        unmapped.put("action", row.action());
        unmapped.put("outcome", row.outcome());
        putIfPresent(unmapped, "target_type", row.targetType());
        putIfPresent(unmapped, "target_id", row.targetId());
        putIfPresent(unmapped, "connector", row.connector());
        unmapped.set("details", details(row.details(), json));
        unmapped.put("hash", ChainVerifier.hex(row.hash()));
        unmapped.put("prev_hash", ChainVerifier.hex(row.prevHash()));
        return event;
    }

    /** The details as JSON; a row whose details do not parse (it should not happen) still ships, as text. */
    private static JsonNode details(String text, ObjectMapper json) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Our outcome in OCSF terms: a denial is a failure with a low severity, a breakage a medium one. */
    enum Outcome {
        SUCCESS(1, "Informational", 1, "Success", null),
        DENIED(2, "Low", 2, "Failure", "Denied"),
        FAILURE(3, "Medium", 2, "Failure", "Failed"),
        UNKNOWN(0, "Unknown", 0, "Unknown", null);

        final int severityId;
        final String severity;
        final int statusId;
        final String status;
        final String statusDetail;

        Outcome(int severityId, String severity, int statusId, String status, String statusDetail) {
            this.severityId = severityId;
            this.severity = severity;
            this.statusId = statusId;
            this.status = status;
            this.statusDetail = statusDetail;
        }

        static Outcome of(String stored) {
            try {
                return valueOf(stored);
            } catch (IllegalArgumentException | NullPointerException e) {
                return UNKNOWN;
            }
        }
    }
}
