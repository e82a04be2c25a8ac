package io.gatehouse.governance.killswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The LISTEN path alone, without the poll behind it: a NOTIFY wakes the listener, and a cut connection heals. */
class KillSwitchListenerTest {

    @Test
    void aNotifyWakesTheListenerWithinASecondAndItReconnectsAfterItsConnectionIsCut() throws Exception {
        String url = SharedPostgres.newDatabase();
        String user = SharedPostgres.server().user();
        AtomicInteger woken = new AtomicInteger();
        KillSwitchListener listener = new KillSwitchListener(url, user, "", woken::incrementAndGet);
        try (Connection sql = DriverManager.getConnection(url, user, "")) {
            listener.start();
            await().atMost(Duration.ofSeconds(5)).until(listener::listening);
            await().atMost(Duration.ofSeconds(1)).until(() -> woken.get() == 1); // the reload right after LISTEN

            long notifiedAt = System.nanoTime();
            sql.createStatement().execute("NOTIFY " + KillSwitchListener.CHANNEL);
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> woken.get() == 2);
            System.out.printf("Kill-switch listener woke %d ms after NOTIFY%n", (System.nanoTime() - notifiedAt) / 1_000_000);

            sql.createStatement().execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()"
                    + " and application_name = '" + KillSwitchListener.APPLICATION_NAME + "'");
            await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() == 3); // reconnected, and reloaded in case it missed one
            assertThat(listener.listening()).isTrue();
            sql.createStatement().execute("NOTIFY " + KillSwitchListener.CHANNEL);
            await().atMost(Duration.ofSeconds(1)).until(() -> woken.get() == 4);
        } finally {
            listener.stop();
        }
        assertThat(listener.listening()).isFalse();
    }
}
