package io.gatehouse.budget;

import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.gatehouse.error.GatehouseException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The budgets editor behind the admin page and API: validates a change (amounts 0 or more, a model that exists,
 * a role or person that exists), hands it to {@link BudgetChanges} (write + audit), and builds the views: the
 * rules, the rate limits and this month's usage against each person's limit.
 */
@Singleton
class BudgetAdmin {

    /** Far above any sane rate; keeps the token bucket's arithmetic inside a long. */
    static final int MAX_REQUESTS_PER_MINUTE = 1_000_000;
    static final int USAGE_ROWS = 500;

    private final BudgetRepository repository;
    private final BudgetChanges changes;
    private final BudgetRuleCache ruleCache;
    private final BudgetLedger ledger;
    private final RateLimits rateLimits;
    private final InstallationZone zone;
    private final Clock clock;
    private final int defaultMaxOutput;

    BudgetAdmin(BudgetRepository repository, BudgetChanges changes, BudgetRuleCache ruleCache, BudgetLedger ledger, RateLimits rateLimits,
                InstallationZone zone, Clock clock, @Value("${gatehouse.budget.default-max-output:1024}") int defaultMaxOutput) {
        this.repository = repository;
        this.changes = changes;
        this.ruleCache = ruleCache;
        this.ledger = ledger;
        this.rateLimits = rateLimits;
        this.zone = zone;
        this.clock = clock;
        this.defaultMaxOutput = defaultMaxOutput;
    }

    // --- forms and views (JSON: every field always present; null amount = no limit)

    /**
     * A rule to set. scope GLOBAL (everyone together), ROLE ({@code role}: id or name) or USER ({@code email});
     * {@code model} a model name or "*" / empty for all models. Both amounts null removes the rule.
     */
    record RuleForm(@Nullable String scope, @Nullable String role, @Nullable String email, @Nullable String model,
                    @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {
    }

    /** {@code email} empty: the installation's default (null or 0: no limit); otherwise that person's (null: the default, 0: no limit). */
    record RateForm(@Nullable String email, @Nullable Integer requestsPerMinute) {
    }

    record RuleChange(String scope, @Nullable UUID roleId, @Nullable String role, @Nullable UUID userId, @Nullable String email,
                      String model, Amounts before, Amounts after) {
    }

    record RateChange(@Nullable UUID userId, @Nullable String email, @Nullable Integer before, @Nullable Integer after) {
    }

    record GlobalRuleView(String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost, long usedTokens,
                          BigDecimal usedCost) {
    }

    record RoleRuleView(UUID roleId, String role, String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {
    }

    record UserRuleView(UUID userId, String email, String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {
    }

    record UserRateView(UUID userId, String email, int requestsPerMinute) {
    }

    record RateLimitsView(@Nullable Integer defaultPerMinute, List<UserRateView> users) {
    }

    /** A person's usage of all models this month, and the limits that apply (null: none). */
    record PersonUsageView(UUID userId, String email, long usedTokens, @Nullable Long tokenLimit, BigDecimal usedCost,
                           @Nullable BigDecimal costLimit) {
    }

    record Overview(String month, String timeZone, LocalDate resetsOn, Instant resetsAt, int defaultMaxOutput, List<String> models,
                    List<GlobalRuleView> global, List<RoleRuleView> roles, List<UserRuleView> users, RateLimitsView rateLimits,
                    List<PersonUsageView> usage) {
    }

    // --- changes

    RuleChange setRule(Caller caller, @Nullable RuleForm form) {
        RuleChange change = changeRule(caller, form);
        ruleCache.clear(); // this node at once; the others within BudgetRuleCache.TTL_SECONDS
        return change;
    }

    private RuleChange changeRule(Caller caller, @Nullable RuleForm form) {
        if (form == null) {
            throw new GatehouseException.BadRequest("invalid-budget", "Send the rule as JSON: scope, role or email, model, monthlyTokens, monthlyCost.", "scope");
        }
        String scope = form.scope() == null ? "" : form.scope().strip().toUpperCase(Locale.ROOT);
        String model = model(form.model());
        Amounts after = amounts(form);
        return switch (scope) {
            case "GLOBAL" -> new RuleChange(scope, null, null, null, null, model, changes.setGlobal(caller, model, after), after);
            case "ROLE" -> {
                BudgetRepository.Named role = role(form.role());
                yield new RuleChange(scope, role.id(), role.name(), null, null, model, changes.setRole(caller, role.id(), model, after), after);
            }
            case "USER" -> {
                BudgetRepository.Named user = user(form.email());
                yield new RuleChange(scope, null, null, user.id(), user.name(), model, changes.setUser(caller, user.id(), model, after), after);
            }
            default -> throw new GatehouseException.BadRequest("invalid-budget-scope",
                    "Say whose budget this is: scope GLOBAL (everyone together), ROLE (a role's default per person) or USER (one person).", "scope");
        };
    }

    RateChange setRate(Caller caller, @Nullable RateForm form) {
        if (form == null) {
            throw new GatehouseException.BadRequest("invalid-rate-limit", "Send the rate limit as JSON: email (empty for the default), requestsPerMinute.", "requestsPerMinute");
        }
        Integer perMinute = form.requestsPerMinute();
        if (perMinute != null && (perMinute < 0 || perMinute > MAX_REQUESTS_PER_MINUTE)) {
            throw new GatehouseException.BadRequest("invalid-rate-limit", "Requests per minute are between 0 (no limit) and "
                    + String.format(Locale.ENGLISH, "%,d", MAX_REQUESTS_PER_MINUTE) + "; leave it empty to remove the limit.", "requestsPerMinute");
        }
        RateChange change;
        if (form.email() == null || form.email().isBlank()) {
            Integer stored = perMinute == null || perMinute == 0 ? null : perMinute;
            change = new RateChange(null, null, changes.setDefaultRate(caller, stored), stored);
        } else {
            BudgetRepository.Named user = user(form.email());
            change = new RateChange(user.id(), user.name(), changes.setUserRate(caller, user.id(), perMinute), perMinute);
        }
        rateLimits.reload(); // this node at once; the others at their next reload
        return change;
    }

    private String model(@Nullable String model) {
        if (model == null || model.isBlank() || model.strip().equals(Counter.ALL_MODELS)) {
            return Counter.ALL_MODELS;
        }
        String name = model.strip();
        if (!repository.modelNames().contains(name)) {
            throw new GatehouseException.BadRequest("unknown-model", "There is no model '" + name
                    + "'. Use a model listed on the Models page, or * for all models.", "model");
        }
        return name;
    }

    private static Amounts amounts(RuleForm form) {
        if (form.monthlyTokens() != null && form.monthlyTokens() < 0) {
            throw new GatehouseException.BadRequest("invalid-budget", "A monthly token budget is 0 or more (empty for no limit).", "monthlyTokens");
        }
        BigDecimal cost = form.monthlyCost();
        if (cost != null) {
            if (cost.signum() < 0) {
                throw new GatehouseException.BadRequest("invalid-budget", "A monthly cost budget is 0 or more (empty for no limit).", "monthlyCost");
            }
            if (cost.stripTrailingZeros().scale() > 4) {
                throw new GatehouseException.BadRequest("invalid-budget", "A monthly cost budget has at most 4 decimal places.", "monthlyCost");
            }
            if (cost.compareTo(new BigDecimal("99999999999999")) > 0) {
                throw new GatehouseException.BadRequest("invalid-budget", "That monthly cost budget is too large; leave it empty for no limit.", "monthlyCost");
            }
        }
        return new Amounts(form.monthlyTokens(), cost);
    }

    private BudgetRepository.Named role(@Nullable String key) {
        if (key == null || key.isBlank()) {
            throw new GatehouseException.BadRequest("invalid-budget", "Name the role (its name or id).", "role");
        }
        return repository.role(key.strip()).orElseThrow(() -> new GatehouseException.NotFound("role-not-found",
                "There is no role '" + key.strip() + "'."));
    }

    private BudgetRepository.Named user(@Nullable String email) {
        if (email == null || email.isBlank()) {
            throw new GatehouseException.BadRequest("invalid-budget", "Give the person's email address.", "email");
        }
        return repository.userByEmail(email.strip()).orElseThrow(() -> new GatehouseException.NotFound("user-not-found",
                "No one has the email address '" + email.strip() + "'."));
    }

    // --- views

    Overview overview() {
        BudgetPeriod period = BudgetPeriod.of(clock.instant(), zone.zone());
        List<BudgetRepository.GlobalRule> globalRules = repository.globalRules();
        Map<Counter, BudgetLedger.Used> globalUsed = ledger.used(period.month(),
                globalRules.stream().map(r -> new Counter(null, r.model())).toList());
        List<GlobalRuleView> global = globalRules.stream().map(r -> {
            BudgetLedger.Used used = globalUsed.getOrDefault(new Counter(null, r.model()), BudgetLedger.Used.NONE);
            return new GlobalRuleView(r.model(), r.monthlyTokens(), r.monthlyCost(), used.settledTokens(), used.settledCost());
        }).toList();
        List<RoleRuleView> roles = new ArrayList<>(repository.roleRules().stream()
                .map(r -> new RoleRuleView(r.roleId(), r.roleName(), r.model(), r.monthlyTokens(), r.monthlyCost())).toList());
        roles.sort(Comparator.comparing((RoleRuleView r) -> r.role().toLowerCase(Locale.ROOT))
                .thenComparing(r -> !r.model().equals(Counter.ALL_MODELS)).thenComparing(RoleRuleView::model));
        List<UserRuleView> users = repository.userRules().stream()
                .map(r -> new UserRuleView(r.userId(), r.email(), r.model(), r.monthlyTokens(), r.monthlyCost())).toList();
        RateLimitsView rates = new RateLimitsView(repository.defaultRate().orElse(null), repository.userRates().stream()
                .map(r -> new UserRateView(r.userId(), r.email(), r.requestsPerMinute())).toList());
        List<PersonUsageView> usage = repository.usage(period.month(), USAGE_ROWS).stream().map(p -> new PersonUsageView(p.userId(),
                p.email(), p.usedTokens(), p.ownTokens() != null ? p.ownTokens() : p.roleTokens(), p.usedCost(),
                p.ownCost() != null ? p.ownCost() : p.roleCost())).toList();
        return new Overview(period.label(), zone.zone().getId(), period.resetsOn(), period.resetsAt(), defaultMaxOutput,
                repository.modelNames(), global, List.copyOf(roles), users, rates, usage);
    }
}
