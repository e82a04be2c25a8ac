package io.gatehouse.installer;

import java.time.Duration;

/** Waiting between polls (health waits); tests replace it with one that moves a fake clock. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration);

    static Sleeper real() {
        return duration -> {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InstallerException("interrupted");
            }
        };
    }
}
