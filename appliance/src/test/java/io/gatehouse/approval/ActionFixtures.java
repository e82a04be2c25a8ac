package io.gatehouse.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.SharedPostgres;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A portal with the scripted model and a real SQL connector "ledger" on a database it may write to (the demo
 * database's role is read-only): a {@code payments} and an {@code invoices} table, roles granting the write tool
 * at each trust level, and people holding them.
 */
final class ActionFixtures implements AutoCloseable {

    static final String PASSWORD = "a long and unusual passphrase";
    static final String WRITE = "ledger__execute_statement";
    static final String QUERY = "ledger__run_query";

    final ScriptedModelServer model;
    final TestPortal portal;
    final WebSession admin;
    private final String ledgerUrl;

    ActionFixtures() {
        ledgerUrl = SharedPostgres.newDatabase();
        try (Connection c = ledger()) {
            c.createStatement().execute("create table payments (id serial primary key, payee text not null, amount numeric(12,2) not null)");
            c.createStatement().execute("create table invoices (id serial primary key, customer text not null, amount numeric(12,2) not null,"
                    + " status text not null default 'open')");
            c.createStatement().execute("insert into invoices (customer, amount) values ('Acme GmbH', 1200.00), ('Globex', 80.50)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        model = ScriptedModelServer.start();
        portal = TestPortal.start();
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "tool-model");
        Map<String, Object> form = new HashMap<>();
        form.put("name", "ledger");
        form.put("kind", "sql");
        form.put("description", "Payments and invoices");
        form.put("config", Map.of("SQL_URL", ledgerUrl, "SQL_USER", SharedPostgres.server().user()));
        HttpResponse<String> created = admin.postJson("/api/v1/admin/connectors", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    Connection ledger() throws SQLException {
        return DriverManager.getConnection(ledgerUrl, SharedPostgres.server().user(), "");
    }

    /** A role granting the tool-model, reads of the ledger, and the write tool with this action grant. */
    String role(String name, Map<String, Object> writeGrant) {
        WebSession admin = portal.admin(); // fresh: tests move the clock past a session's idle timeout
        HttpResponse<String> created = admin.postJson("/api/v1/admin/roles", Map.of("name", name));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = WebSession.parse(created.body()).path("id").asText();
        List<Map<String, Object>> tools = new ArrayList<>();
        tools.add(Map.of("connector", "ledger", "tool", "run_query", "access", "READ"));
        if (writeGrant != null) {
            Map<String, Object> grant = new HashMap<>(writeGrant);
            grant.put("connector", "ledger");
            grant.put("tool", "execute_statement");
            grant.put("access", "ACTION");
            tools.add(grant);
        }
        HttpResponse<String> granted = admin.putJson("/api/v1/admin/roles/" + id + "/grants", Map.of("models", List.of("tool-model"), "tools", tools));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        return id;
    }

    UUID person(String email, String... roleIds) {
        UUID id = portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
        portal.bean(RoleAssignments.class).setManual(id, java.util.Arrays.stream(roleIds).map(UUID::fromString).toList());
        return id;
    }

    WebSession signIn(String email) {
        return portal.signedIn(email, PASSWORD);
    }

    /** What happened when the model asked for one call in a chat turn: the stream, and what the model was told. */
    record Turn(WebSession.SseResult events, String toldModel, String conversationId) {
    }

    Turn ask(WebSession person, String tool, String argumentsJson) {
        model.enqueue(new ScriptedModelServer.ToolCall(tool, argumentsJson), ScriptedModelServer.text("Done asking."));
        int before = model.requests().size();
        WebSession.SseResult events = person.postForEvents("/api/v1/chat/messages", Map.of("message", "Please do it", "model", "tool-model"));
        assertThat(events.named("done")).as(events.raw()).hasSize(1);
        JsonNode messages = model.requests().get(before + 1).path("messages");
        return new Turn(events, messages.get(messages.size() - 1).path("content").asText(),
                events.named("conversation").getFirst().json().path("conversationId").asText());
    }

    /** The person's own request for exactly these arguments, as their chat shows it. */
    JsonNode requestFor(WebSession person, Turn turn, String argumentsJson) {
        JsonNode mine = WebSession.parse(person.get("/api/v1/me/approvals?conversation=" + turn.conversationId()).body());
        JsonNode found = null;
        for (JsonNode view : mine) {
            if (view.path("arguments").asText().equals(argumentsJson)) {
                found = view;
            }
        }
        assertThat(found).as("a request for " + argumentsJson + " in " + mine).isNotNull();
        return found;
    }

    static String insert(String payee, String amount) {
        return "{\"sql\":\"insert into payments (payee, amount) values ('" + payee + "', " + amount + ")\"}";
    }

    /** The payments written for this payee, as "payee amount" lines. */
    List<String> payments(String payee) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ledger(); var statement = c.prepareStatement("select payee, amount from payments where payee = ? order by id")) {
            statement.setString(1, payee);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getBigDecimal(2).toPlainString());
                }
            }
        }
        return rows;
    }

    @Override
    public void close() {
        portal.close();
        model.close();
    }
}
