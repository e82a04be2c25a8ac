package io.gatehouse.budget;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditUnavailableException;
import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.ModelCallMeter;
import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.Usage;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets around every model call. Before it is sent: the limits that apply to this person and model, and a
 * reservation of the most the call can use (estimated input plus its output cap) against all of them, or a refusal
 * (429 budget-exceeded, audited) and nothing is sent. The output cap goes to the provider as max_tokens, so the
 * answer cannot outgrow the reservation. After it: the reservation is replaced by the reported (or estimated) usage.
 *
 * <p>Order 1: it runs before the call record meter, so a refused call is never recorded as sent.
 */
@Singleton
@Order(1)
final class BudgetMeter implements ModelCallMeter {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetMeter.class);
    /** After the model timeout: time for the turn to close the call (guards, storing the answer) before the reservation lapses. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(2);

    private final BudgetRuleCache rules;
    private final BudgetLedger ledger;
    private final AuditTrail audit;
    private final Clock clock;
    private final InstallationZone zone;
    private final int defaultMaxOutput;
    private final Duration reservationLifetime;

    BudgetMeter(BudgetRuleCache rules, BudgetLedger ledger, AuditTrail audit, Clock clock, InstallationZone zone,
                @Value("${gatehouse.budget.default-max-output:1024}") int defaultMaxOutput,
                @Value("${gatehouse.model.request-timeout:120s}") Duration modelTimeout) {
        if (defaultMaxOutput < 1) {
            throw new IllegalStateException("GATEHOUSE_BUDGET_DEFAULT_MAX_OUTPUT must be 1 or more (it is " + defaultMaxOutput + ").");
        }
        this.rules = rules;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.zone = zone;
        this.defaultMaxOutput = defaultMaxOutput;
        this.reservationLifetime = modelTimeout.plus(EXPIRY_MARGIN);
    }

    @Override
    public Open open(Call call) {
        Instant now = clock.instant();
        BudgetPeriod period = BudgetPeriod.of(now, zone.zone());
        UUID userId = call.caller().userId();
        AvailableModel model = call.model();
        List<Limit> limits;
        try {
            limits = Limits.resolve(userId, model.name(), rules.rulesFor(userId, model.name()));
        } catch (RuntimeException e) {
            throw unavailable(userId, model.name(), e);
        }
        if (limits.isEmpty()) {
            // Nothing to hold back; usage is still counted, so a budget set later this month sees what was used.
            return new Settling(null, period, userId, model, null);
        }
        long input = InputEstimate.tokens(call.request());
        int maxOutput = call.request().maxTokens() != null ? call.request().maxTokens() : defaultMaxOutput;
        long tokens = input + maxOutput;
        BigDecimal cost = Prices.cost(model, input, maxOutput);
        BudgetLedger.Reservation reservation;
        try {
            reservation = ledger.reserve(period.month(), userId, model.name(), tokens, cost, limits, now.plus(reservationLifetime));
        } catch (RuntimeException e) {
            throw unavailable(userId, model.name(), e);
        }
        return switch (reservation) {
            case BudgetLedger.Reserved reserved -> new Settling(reserved.id(), period, userId, model, maxOutput);
            case BudgetLedger.Exceeded exceeded -> throw refuse(call.caller(), model.name(), period, now, exceeded);
        };
    }

    /** Fail closed: a budget that cannot be checked refuses the call (the database's words stay in the log). */
    private static GatehouseException unavailable(UUID userId, String model, RuntimeException cause) {
        LOG.error("Could not check the budget of user {} on model {}; the call was not sent: {}", userId, model, cause.getMessage(), cause);
        return new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, "budget-unavailable",
                "Your budget could not be checked just now, so nothing was sent to the model. Try again in a moment.");
    }

    private GatehouseException refuse(Caller caller, String model, BudgetPeriod period, Instant now, BudgetLedger.Exceeded exceeded) {
        Limit limit = exceeded.limit();
        try {
            audit.record(caller.audit("budget.exceeded").denied().target("model", model)
                    .detail("model", model)
                    .detail("budget", limit.code())
                    .detail("limit", limit.amount())
                    .detail("used", exceeded.used())
                    .detail("needed", exceeded.needed())
                    .detail("month", period.label()));
        } catch (AuditUnavailableException e) {
            // The refusal stands either way: failing closed here means refusing, which is what happens.
            LOG.error("Budget refusal for user {} on model {} could not be audited: {}", caller.userId(), model, e.getMessage());
        }
        return new GatehouseException.TooManyRequests("budget-exceeded", BudgetMessages.exceeded(exceeded, period),
                period.secondsUntilReset(now));
    }

    /** An opened call: caps the output at what was reserved and settles the real usage when it ends. */
    private final class Settling implements Open {

        private final @Nullable UUID reservation;
        private final BudgetPeriod period;
        private final UUID userId;
        private final AvailableModel model;
        private final @Nullable Integer maxOutput;

        Settling(@Nullable UUID reservation, BudgetPeriod period, UUID userId, AvailableModel model, @Nullable Integer maxOutput) {
            this.reservation = reservation;
            this.period = period;
            this.userId = userId;
            this.model = model;
            this.maxOutput = maxOutput;
        }

        @Override
        public @Nullable Integer maxOutputTokens() {
            return maxOutput;
        }

        @Override
        public void close(Result result) {
            Usage usage = result.usage() == null ? Usage.NONE : result.usage();
            try {
                ledger.settle(reservation, period.month(), userId, model.name(), usage.totalTokens(),
                        Prices.cost(model, usage.inputTokens(), usage.outputTokens()));
            } catch (RuntimeException e) {
                // The reservation (if any) keeps counting until it expires; the answer is the person's already.
                LOG.error("Could not settle {} tokens of user {} on model {}: {}", usage.totalTokens(), userId, model.name(),
                        e.getMessage(), e);
            }
        }
    }
}
