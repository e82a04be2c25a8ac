package io.gatehouse.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** What a person reads when a budget refuses a call: which budget, used of limit, what the call needs, when it resets. */
final class BudgetMessages {

    private BudgetMessages() {
    }

    static String exceeded(BudgetLedger.Exceeded exceeded, BudgetPeriod period) {
        Limit limit = exceeded.limit();
        boolean tokens = limit.measure() == Limit.Measure.TOKENS;
        String forModel = limit.counter().allModels() ? "" : " for the model '" + limit.counter().model() + "'";
        String used = amount(exceeded.used(), tokens);
        String of = amount(limit.amount(), tokens);
        String needs = tokens ? "this request needs up to " + amount(exceeded.needed(), true)
                : "this request may cost up to " + amount(exceeded.needed(), false);
        String budget = tokens ? "monthly tokens" : "monthly cost budget";
        if (limit.counter().everyone()) {
            return "Everyone together has used " + used + " of the organisation's " + of + " " + budget + forModel + "; "
                    + needs + ". The budget resets on " + period.resetText() + ".";
        }
        return "You have used " + used + " of your " + of + " " + budget + forModel + "; " + needs
                + ". Your budget resets on " + period.resetText() + ".";
    }

    /** Tokens with thousands separators (9,812); costs with 2 to 4 decimals (0.0013, 5.00). */
    static String amount(BigDecimal value, boolean tokens) {
        DecimalFormat format = new DecimalFormat(tokens ? "#,##0" : "#,##0.00##", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        format.setRoundingMode(RoundingMode.UP);
        return format.format(tokens ? value.setScale(0, RoundingMode.UP) : value);
    }
}
