package io.gatehouse.approval;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.time.ZoneId;

/**
 * How long a Supervised call waits for a person (GATEHOUSE_APPROVAL_EXPIRY, default 15m), and the time zone whose
 * calendar day the per-day call limits count in (GATEHOUSE_ACTION_DAY_ZONE, default UTC; e.g. Europe/Berlin).
 */
@ConfigurationProperties("gatehouse.approvals")
record ApprovalSettings(@Bindable(defaultValue = "15m") Duration expiry, @Bindable(defaultValue = "UTC") String dayZone) {

    ApprovalSettings {
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("gatehouse.approvals.expiry must be positive, not " + expiry);
        }
        ZoneId.of(dayZone); // a typo fails at start-up, not at the first bounded call
    }

    ZoneId zone() {
        return ZoneId.of(dayZone);
    }
}
