package io.gatehouse.config;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The installation's time zone (GATEHOUSE_TIME_ZONE, an IANA name such as Europe/Berlin; UTC by default): budgets
 * reset on the 1st of the month there, and nightly jobs run at night there.
 */
@Singleton
public final class InstallationZone {

    private final ZoneId zone;

    InstallationZone(@Value("${gatehouse.time-zone:UTC}") String zone) {
        try {
            this.zone = ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new IllegalStateException("GATEHOUSE_TIME_ZONE: '" + zone + "' is not a time zone. Use an IANA name such as"
                    + " Europe/Berlin, America/New_York or UTC.", e);
        }
    }

    public ZoneId zone() {
        return zone;
    }
}
