package io.gatehouse.auth;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes expired session rows; expiry is enforced per request regardless, this only keeps the table small. */
@Singleton
final class SessionPurgeJob {

    private static final Logger LOG = LoggerFactory.getLogger(SessionPurgeJob.class);

    private final SessionService sessions;

    SessionPurgeJob(SessionService sessions) {
        this.sessions = sessions;
    }

    @Scheduled(fixedDelay = "15m", initialDelay = "1m")
    void purge() {
        int removed = sessions.purgeExpired();
        if (removed > 0) {
            LOG.info("Removed {} expired sessions", removed);
        }
    }
}
