package io.gatehouse.budget;

import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which limits apply to one person calling one model: a pure function of the stored rules, so the rules are easy
 * to test exhaustively.
 *
 * <p>For the person, per measure (tokens, cost) and per rule model (all models, this model): their override where it
 * sets an amount, otherwise the largest default of their roles (roles that set none do not lift it), otherwise no
 * limit. For everyone together: the global rule's amount. Ordered from the person's own to the organisation's, so a
 * refusal names the most personal limit hit.
 */
final class Limits {

    private Limits() {
    }

    static List<Limit> resolve(UUID userId, String model, List<RuleRow> rows) {
        List<Limit> limits = new ArrayList<>();
        for (String ruleModel : models(model)) {
            for (Limit.Measure measure : Limit.Measure.values()) {
                BigDecimal own = amount(rows, RuleRow.USER, ruleModel, measure);
                BigDecimal amount = own != null ? own : amount(rows, RuleRow.ROLE, ruleModel, measure);
                if (amount != null) {
                    limits.add(new Limit(new Counter(userId, ruleModel), measure, amount));
                }
            }
        }
        for (String ruleModel : models(model)) {
            for (Limit.Measure measure : Limit.Measure.values()) {
                BigDecimal amount = amount(rows, RuleRow.GLOBAL, ruleModel, measure);
                if (amount != null) {
                    limits.add(new Limit(new Counter(null, ruleModel), measure, amount));
                }
            }
        }
        return limits;
    }

    /** The person's effective amount of one kind for one rule model (for views), or null for no limit. */
    static @Nullable BigDecimal personal(List<RuleRow> rows, String ruleModel, Limit.Measure measure) {
        BigDecimal own = amount(rows, RuleRow.USER, ruleModel, measure);
        return own != null ? own : amount(rows, RuleRow.ROLE, ruleModel, measure);
    }

    private static List<String> models(String model) {
        return Counter.ALL_MODELS.equals(model) ? List.of(Counter.ALL_MODELS) : List.of(Counter.ALL_MODELS, model);
    }

    /** The largest amount the rows of this level set (one row for USER and GLOBAL; the roles' maximum for ROLE). */
    private static @Nullable BigDecimal amount(List<RuleRow> rows, String level, String model, Limit.Measure measure) {
        BigDecimal best = null;
        for (RuleRow row : rows) {
            if (!row.level().equals(level) || !row.model().equals(model)) {
                continue;
            }
            BigDecimal value = switch (measure) {
                case TOKENS -> row.monthlyTokens() == null ? null : BigDecimal.valueOf(row.monthlyTokens());
                case COST -> row.monthlyCost();
            };
            if (value != null && (best == null || value.compareTo(best) > 0)) {
                best = value;
            }
        }
        return best;
    }
}
