package io.gatehouse.budget;

import io.gatehouse.config.InstallationZone;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** A person's own view of their budget this month: used, limit, what is left, and when it resets. */
@Singleton
class PersonalBudget {

    private final BudgetRepository repository;
    private final BudgetLedger ledger;
    private final RateLimits rateLimits;
    private final InstallationZone zone;
    private final Clock clock;

    PersonalBudget(BudgetRepository repository, BudgetLedger ledger, RateLimits rateLimits, InstallationZone zone, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.rateLimits = rateLimits;
        this.zone = zone;
        this.clock = clock;
    }

    /** {@code reserved}: held by answers being written now. {@code limit}/{@code remaining} null: no limit. */
    record Tokens(long used, long reserved, @Nullable Long limit, @Nullable Long remaining) {
    }

    record Cost(BigDecimal used, BigDecimal reserved, @Nullable BigDecimal limit, @Nullable BigDecimal remaining) {
    }

    /** A budget of one model of its own (besides the all-models one). */
    record ModelBudget(String model, Tokens tokens, Cost cost) {
    }

    record View(String month, String timeZone, LocalDate resetsOn, Instant resetsAt, Tokens tokens, Cost cost,
                List<ModelBudget> models, @Nullable Integer requestsPerMinute) {
    }

    View of(UUID userId) {
        BudgetPeriod period = BudgetPeriod.of(clock.instant(), zone.zone());
        List<RuleRow> rows = repository.allRulesFor(userId);
        TreeSet<String> models = new TreeSet<>();
        for (RuleRow row : rows) {
            boolean personal = !row.level().equals(RuleRow.GLOBAL);
            if (personal && !row.model().equals(Counter.ALL_MODELS) && (row.monthlyTokens() != null || row.monthlyCost() != null)) {
                models.add(row.model());
            }
        }
        List<Counter> counters = new ArrayList<>();
        counters.add(new Counter(userId, Counter.ALL_MODELS));
        models.forEach(m -> counters.add(new Counter(userId, m)));
        Map<Counter, BudgetLedger.Used> used = ledger.used(period.month(), counters);
        List<ModelBudget> perModel = models.stream().map(m -> new ModelBudget(m, tokens(rows, m, used.get(new Counter(userId, m))),
                cost(rows, m, used.get(new Counter(userId, m))))).toList();
        BudgetLedger.Used all = used.get(new Counter(userId, Counter.ALL_MODELS));
        int perMinute = rateLimits.perMinute(userId);
        return new View(period.label(), zone.zone().getId(), period.resetsOn(), period.resetsAt(),
                tokens(rows, Counter.ALL_MODELS, all), cost(rows, Counter.ALL_MODELS, all), perModel, perMinute > 0 ? perMinute : null);
    }

    private static Tokens tokens(List<RuleRow> rows, String model, BudgetLedger.Used used) {
        BigDecimal limit = Limits.personal(rows, model, Limit.Measure.TOKENS);
        Long remaining = limit == null ? null : Math.max(0, limit.longValueExact() - used.tokens());
        return new Tokens(used.settledTokens(), used.reservedTokens(), limit == null ? null : limit.longValueExact(), remaining);
    }

    private static Cost cost(List<RuleRow> rows, String model, BudgetLedger.Used used) {
        BigDecimal limit = Limits.personal(rows, model, Limit.Measure.COST);
        BigDecimal remaining = limit == null ? null : limit.subtract(used.cost()).max(BigDecimal.ZERO);
        return new Cost(used.settledCost(), used.reservedCost(), limit, remaining);
    }
}
