package io.gatehouse.budget;

import static io.gatehouse.budget.BudgetFixtures.ask;
import static io.gatehouse.budget.BudgetFixtures.auditRows;
import static io.gatehouse.budget.BudgetFixtures.completion;
import static io.gatehouse.budget.BudgetFixtures.detail;
import static io.gatehouse.budget.BudgetFixtures.myBudget;
import static io.gatehouse.budget.BudgetFixtures.person;
import static io.gatehouse.budget.BudgetFixtures.role;
import static io.gatehouse.budget.BudgetFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.budget.BudgetFixtures.AuditRow;
import io.gatehouse.budget.BudgetFixtures.Person;
import io.gatehouse.testing.ScriptedModelServer;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets on the chat turn, through the real API against the scripted model server (prices: 1 per million input
 * tokens, 2 per million output). The estimate of "Hello" as the only message is 9 input tokens (3 for the reply, 4 of
 * framing, 2 of text), so a call with max_tokens 50 needs up to 59 tokens; the scripted server reports the prompt as
 * 2 tokens and one output token per chunk.
 */
class BudgetEnforcementTest {

    static final Instant MONTH_END = Instant.parse("2026-11-30T23:00:00Z"); // midnight of 1 December in Berlin

    static ScriptedModelServer model;
    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        model = ScriptedModelServer.start();
        portal = TestPortal.start(Map.of("GATEHOUSE_TIME_ZONE", "Europe/Berlin"));
        admin = portal.admin();
        portal.addProvider(admin, "Scripted", model.baseUrl(), "", "model-a", "model-b");
    }

    @AfterAll
    static void stop() {
        portal.close();
        model.close();
    }

    @Test
    void aPersonOverBudgetIsRefusedBeforeTheCallReachesTheModelWithWhichBudgetUsedLimitAndResetDate() throws SQLException {
        Person ana = person(portal, admin, "ana@example.test");
        rule(admin, "USER", ana.email(), "*", 10_000, null);
        model.enqueue(new ScriptedModelServer.Text(Collections.nCopies(9_803, "x")));
        HttpResponse<String> first = completion(portal, ana.token(), "model-a", "Hello", 9_900); // needs up to 9,909
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        int calls = model.requests().size();

        HttpResponse<String> refused = completion(portal, ana.token(), "model-a", "Hello", 1_291); // needs up to 1,300
        WebSession.SseResult page = ask(ana.session(), "model-a", "Hello"); // no cap asked: 1,024 by default

        assertThat(model.requests()).as("nothing was sent to the model").hasSize(calls);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(WebSession.parse(refused.body()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(detail(refused)).isEqualTo("You have used 9,805 of your 10,000 monthly tokens; this request needs up to 1,300."
                + " Your budget resets on 1 December 2026 (Europe/Berlin).");
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValue(Long.toString(Duration.between(portal.clock.instant(), MONTH_END).toSeconds()));
        assertThat(page.events()).extracting(WebSession.SseEvent::name).containsExactly("conversation", "error");
        assertThat(page.named("error").getFirst().json().path("message").asText()).isEqualTo("You have used 9,805 of your 10,000"
                + " monthly tokens; this request needs up to 1,033. Your budget resets on 1 December 2026 (Europe/Berlin).");

        List<AuditRow> audited = auditRows(portal, "budget.exceeded").stream().filter(r -> ana.id().equals(r.actorId())).toList();
        assertThat(audited).hasSize(2).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo("DENIED");
            assertThat(row.targetType()).isEqualTo("model");
            assertThat(row.targetId()).isEqualTo("model-a");
            assertThat(row.details().path("budget").asText()).isEqualTo("user.tokens");
            assertThat(row.details().path("limit").asLong()).isEqualTo(10_000);
            assertThat(row.details().path("used").asLong()).isEqualTo(9_805);
        });
        assertThat(audited.getFirst().details().path("needed").asLong()).isEqualTo(1_300);

        JsonNode mine = myBudget(ana);
        assertThat(mine.path("tokens").path("used").asLong()).isEqualTo(9_805);
        assertThat(mine.path("tokens").path("reserved").asLong()).isZero();
        assertThat(mine.path("tokens").path("limit").asLong()).isEqualTo(10_000);
        assertThat(mine.path("tokens").path("remaining").asLong()).isEqualTo(195);
        assertThat(mine.path("cost").path("limit").isNull()).isTrue();
        assertThat(mine.path("month").asText()).isEqualTo("2026-11");
        assertThat(mine.path("resetsOn").asText()).isEqualTo("2026-12-01");
        assertThat(mine.path("resetsAt").asText()).isEqualTo("2026-11-30T23:00:00Z");
        assertThat(mine.path("timeZone").asText()).isEqualTo("Europe/Berlin");
    }

    @Test
    void underABudgetTheProviderIsToldTheOutputCapThatWasReservedAndWithoutOneNothingIsCapped() {
        Person capped = person(portal, admin, "capped@example.test");
        Person free = person(portal, admin, "free@example.test");
        rule(admin, "USER", capped.email(), "*", 100_000, null);

        assertThat(ask(capped.session(), "model-a", "Hello").named("done")).hasSize(1);
        JsonNode cappedRequest = model.requests().getLast();
        assertThat(ask(free.session(), "model-a", "Hello").named("done")).hasSize(1);
        JsonNode freeRequest = model.requests().getLast();

        assertThat(cappedRequest.path("max_tokens").asInt()).isEqualTo(1_024);
        assertThat(freeRequest.has("max_tokens")).isFalse();
        assertThat(myBudget(free).path("tokens").path("used").asLong()).as("usage counts without a budget too").isPositive();
    }

    @Test
    void twentyConcurrentRequestsOnTwoNodesAtTheEdgeOfABudgetNeverOverspend() throws Exception {
        // Each call needs up to 8 + 20 = 28 tokens and the script makes it use exactly that (1 prompt + 27 output),
        // so a budget of 200 holds exactly 7 calls; a check that was not atomic would let more through.
        Person busy = person(portal, admin, "busy@example.test");
        rule(admin, "USER", busy.email(), "*", 200, null);
        for (int i = 0; i < 7; i++) {
            model.enqueue(new ScriptedModelServer.Text(Collections.nCopies(27, "x")));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (TestPortal secondNode = portal.secondNode(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<String> nodes = List.of(portal.baseUrl(), secondNode.baseUrl());
            // Open the connections first, so the 20 calls leave together instead of one TCP handshake apart.
            List<Future<HttpResponse<String>>> warm = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String node = nodes.get(i % 2);
                warm.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(node + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> f : warm) {
                f.get();
            }
            String body = "{\"model\":\"model-a\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpRequest call = HttpRequest.newBuilder(URI.create(nodes.get(i % 2) + "/v1/chat/completions"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + busy.token())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                futures.add(pool.submit(() -> {
                    go.await();
                    return http.send(call, HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
        }

        List<HttpResponse<String>> answered = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() != 200).toList();
        assertThat(answered).hasSize(7);
        assertThat(answered).allSatisfy(r -> assertThat(WebSession.parse(r.body()).path("usage").path("total_tokens").asInt()).isEqualTo(28));
        assertThat(refused).hasSize(13).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(WebSession.parse(r.body()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
        });
        assertThat(settledTokens(busy.id())).isEqualTo(196).isLessThanOrEqualTo(200);
        assertThat(myBudget(busy).path("tokens").path("reserved").asLong()).isZero();
    }

    @Test
    void manyReservationsRacingForTheLastTokensNeverTakeMoreThanTheLimit() throws Exception {
        // The ledger alone, without HTTP in between, so the reservations truly race: 40 at once for 10 tokens each
        // against a person's 95 and everyone's 1,000,000. Exactly 9 fit.
        UUID racer = person(portal, admin, "racer@example.test").id();
        BudgetLedger ledger = portal.bean(BudgetLedger.class);
        BudgetPeriod period = BudgetPeriod.of(portal.clock.instant(), java.time.ZoneId.of("Europe/Berlin"));
        List<Limit> limits = List.of(new Limit(new Counter(racer, "*"), Limit.Measure.TOKENS, BigDecimal.valueOf(95)),
                new Limit(new Counter(null, "model-z"), Limit.Measure.TOKENS, BigDecimal.valueOf(1_000_000)));
        List<BudgetLedger.Reservation> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BudgetLedger.Reservation>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return ledger.reserve(period.month(), racer, "model-z", 10, BigDecimal.ZERO, limits,
                            portal.clock.instant().plus(Duration.ofHours(1)));
                }));
            }
            go.countDown();
            for (Future<BudgetLedger.Reservation> f : futures) {
                outcomes.add(f.get());
            }
        }

        assertThat(outcomes.stream().filter(BudgetLedger.Reserved.class::isInstance)).hasSize(9);
        assertThat(outcomes.stream().filter(BudgetLedger.Exceeded.class::isInstance).map(o -> ((BudgetLedger.Exceeded) o).used().longValue()))
                .hasSize(31).containsOnly(90L);
        for (BudgetLedger.Reservation o : outcomes) {
            if (o instanceof BudgetLedger.Reserved r) {
                ledger.settle(r.id(), period.month(), racer, "model-z", 0, BigDecimal.ZERO);
            }
        }
    }

    @Test
    void aModelRuleLimitsThatModelOnly() {
        Person pat = person(portal, admin, "pat@example.test");
        rule(admin, "USER", pat.email(), "model-a", 30, null);

        HttpResponse<String> refused = completion(portal, pat.token(), "model-a", "Hello", 50);
        HttpResponse<String> other = completion(portal, pat.token(), "model-b", "Hello", 50);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(detail(refused)).startsWith("You have used 0 of your 30 monthly tokens for the model 'model-a'; this request needs up to 59.");
        assertThat(other.statusCode()).isEqualTo(200);
        JsonNode mine = myBudget(pat);
        assertThat(mine.path("tokens").path("limit").isNull()).isTrue();
        assertThat(mine.path("models")).hasSize(1);
        assertThat(mine.path("models").get(0).path("model").asText()).isEqualTo("model-a");
        assertThat(mine.path("models").get(0).path("tokens").path("limit").asLong()).isEqualTo(30);
    }

    @Test
    void theGlobalCapCountsEveryoneTogetherPerModelAndForAllModels() {
        Person gus = person(portal, admin, "gus@example.test");
        Person gia = person(portal, admin, "gia@example.test");
        try {
            rule(admin, "GLOBAL", null, "model-b", 1_000_000_000L, null);
            long used = globalUsed("model-b");
            rule(admin, "GLOBAL", null, "model-b", used + 60, null);

            HttpResponse<String> first = completion(portal, gus.token(), "model-b", "Hello", 50); // 59 of 60 left: fits, uses 5
            HttpResponse<String> second = completion(portal, gia.token(), "model-b", "Hello", 50); // 55 left: refused
            HttpResponse<String> otherModel = completion(portal, gia.token(), "model-a", "Hello", 50);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(detail(second)).isEqualTo(String.format(java.util.Locale.ENGLISH, "Everyone together has used %,d of the organisation's"
                    + " %,d monthly tokens for the model 'model-b'; this request needs up to 59. The budget resets on 1 December 2026"
                    + " (Europe/Berlin).", used + 5, used + 60));
            assertThat(otherModel.statusCode()).isEqualTo(200);

            rule(admin, "GLOBAL", null, "*", 0, null);
            HttpResponse<String> allModels = completion(portal, gia.token(), "model-a", "Hello", 50);
            assertThat(allModels.statusCode()).isEqualTo(429);
            assertThat(detail(allModels)).contains("of the organisation's 0 monthly tokens; this request needs up to 59.");
        } finally {
            rule(admin, "GLOBAL", null, "*", null, null);
            rule(admin, "GLOBAL", null, "model-b", null, null);
        }
        assertThat(completion(portal, gia.token(), "model-b", "Hello", 50).statusCode()).isEqualTo(200);
    }

    @Test
    void aPersonGetsTheLargestRoleDefaultAndTheirOverrideReplacesItUpOrDown() {
        UUID small = role(admin, "Small spenders");
        UUID large = role(admin, "Large spenders");
        rule(admin, "ROLE", "Small spenders", "*", 40, null);
        rule(admin, "ROLE", large.toString(), "*", 80, null);
        Person rita = person(portal, admin, "rita@example.test", BudgetFixtures.ANALYST, small, large);
        Person sam = person(portal, admin, "sam@example.test", BudgetFixtures.ANALYST, small);

        // Analyst sets no budget: it does not lift the others'.
        assertThat(myBudget(rita).path("tokens").path("limit").asLong()).isEqualTo(80);
        assertThat(myBudget(sam).path("tokens").path("limit").asLong()).isEqualTo(40);
        assertThat(WebSession.parse(admin.get("/api/v1/admin/roles/" + small + "/grants").body()).path("monthlyTokenBudget").asLong())
                .as("the role's token default is the one the Roles page edits").isEqualTo(40);
        HttpResponse<String> samRefused = completion(portal, sam.token(), "model-a", "Hello", 50);
        assertThat(samRefused.statusCode()).isEqualTo(429);
        assertThat(detail(samRefused)).contains("of your 40 monthly tokens");
        assertThat(completion(portal, rita.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(200);

        rule(admin, "USER", sam.email(), "*", 1_000, null);
        rule(admin, "USER", rita.email(), "*", 30, null);

        assertThat(completion(portal, sam.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(200);
        HttpResponse<String> ritaRefused = completion(portal, rita.token(), "model-a", "Hello", 50);
        assertThat(ritaRefused.statusCode()).isEqualTo(429);
        assertThat(detail(ritaRefused)).contains("of your 30 monthly tokens");
    }

    @Test
    void aCostBudgetIsCountedFromThePriceTable() {
        Person cora = person(portal, admin, "cora@example.test");
        rule(admin, "USER", cora.email(), "*", null, "0.0015");

        // Up to 9 input tokens at 1 per million and 1,000 output tokens at 2 per million: 0.002009.
        HttpResponse<String> refused = completion(portal, cora.token(), "model-a", "Hello", 1_000);
        HttpResponse<String> answered = completion(portal, cora.token(), "model-a", "Hello", 100);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(detail(refused)).isEqualTo("You have used 0.00 of your 0.0015 monthly cost budget; this request may cost up to 0.0021."
                + " Your budget resets on 1 December 2026 (Europe/Berlin).");
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode usage = WebSession.parse(answered.body()).path("usage");
        BigDecimal expected = BigDecimal.valueOf(usage.path("prompt_tokens").asLong()).multiply(new BigDecimal("0.000001"))
                .add(BigDecimal.valueOf(usage.path("completion_tokens").asLong()).multiply(new BigDecimal("0.000002")));
        JsonNode cost = myBudget(cora).path("cost");
        assertThat(cost.path("used").decimalValue()).isEqualByComparingTo(expected).isPositive();
        assertThat(cost.path("limit").decimalValue()).isEqualByComparingTo("0.0015");
    }

    @Test
    void aReservationLeftByACrashedNodeStopsCountingOnceItExpires() {
        Person lee = person(portal, admin, "lee@example.test");
        rule(admin, "USER", lee.email(), "*", 100, null);
        // A call that reserved 90 tokens on a node that then died: it never settles.
        BudgetPeriod period = BudgetPeriod.of(portal.clock.instant(), java.time.ZoneId.of("Europe/Berlin"));
        BudgetLedger.Reservation held = portal.bean(BudgetLedger.class).reserve(period.month(), lee.id(), "model-a", 90, BigDecimal.ZERO,
                List.of(new Limit(new Counter(lee.id(), "*"), Limit.Measure.TOKENS, BigDecimal.valueOf(100))),
                portal.clock.instant().plus(Duration.ofMinutes(4)));
        assertThat(held).isInstanceOf(BudgetLedger.Reserved.class);

        assertThat(completion(portal, lee.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(429);
        portal.clock.advance(Duration.ofMinutes(4).plusSeconds(1));
        assertThat(completion(portal, lee.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefusalStandsWhenItsAuditRowCannotBeWritten() throws SQLException {
        Person una = person(portal, admin, "una@example.test");
        rule(admin, "USER", una.email(), "*", 0, null);
        int calls = model.requests().size();
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> refused;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke insert on audit_events from \"" + app + "\"");
            try {
                refused = completion(portal, una.token(), "model-a", "Hello", 50);
            } finally {
                s.execute("grant insert on audit_events to \"" + app + "\"");
            }
        }

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(detail(refused)).startsWith("You have used 0 of your 0 monthly tokens");
        assertThat(model.requests()).hasSize(calls);
    }

    @Test
    void aBudgetThatCannotBeCheckedRefusesTheCall() throws SQLException {
        Person ned = person(portal, admin, "ned@example.test");
        int calls = model.requests().size();
        String app;
        try (Connection c = portal.sqlAsApplication()) {
            app = c.getMetaData().getUserName();
        }
        HttpResponse<String> refused;
        try (Connection owner = portal.sql(); Statement s = owner.createStatement()) {
            s.execute("revoke select on budget_user_rules from \"" + app + "\"");
            try {
                refused = completion(portal, ned.token(), "model-a", "Hello", 50);
            } finally {
                s.execute("grant select on budget_user_rules to \"" + app + "\"");
            }
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(WebSession.parse(refused.body()).path("error").path("code").asText()).isEqualTo("budget_unavailable");
        assertThat(detail(refused)).isEqualTo("Your budget could not be checked just now, so nothing was sent to the model. Try again in a moment.");
        assertThat(model.requests()).hasSize(calls);
        assertThat(completion(portal, ned.token(), "model-a", "Hello", 50).statusCode()).isEqualTo(200);
    }

    private static long globalUsed(String modelName) {
        JsonNode overview = WebSession.parse(admin.get("/api/v1/admin/budgets").body());
        for (JsonNode g : overview.path("global")) {
            if (g.path("model").asText().equals(modelName)) {
                return g.path("usedTokens").asLong();
            }
        }
        throw new IllegalStateException("No global rule for " + modelName + ": " + overview);
    }

    private static long settledTokens(UUID userId) throws SQLException {
        try (Connection c = portal.sql(); PreparedStatement select = c.prepareStatement(
                "select coalesce(sum(tokens), 0) from budget_usage where user_id = ? and model = '*' and month = ?")) {
            select.setObject(1, userId);
            select.setObject(2, LocalDate.parse("2026-11-01"));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
