package io.gatehouse.mfa;

import dev.samstevens.totp.time.TimeProvider;
import java.time.Clock;

/** TOTP time from the injected clock, so tests move it and every code check is exact. */
final class ClockTimeProvider implements TimeProvider {

    private final Clock clock;

    ClockTimeProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long getTime() {
        return clock.instant().getEpochSecond();
    }
}
