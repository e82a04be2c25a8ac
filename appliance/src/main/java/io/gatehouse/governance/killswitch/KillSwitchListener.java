package io.gatehouse.governance.killswitch;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears {@code NOTIFY gatehouse_kill_switch} (sent by a trigger when any node changes a switch) and has the
 * {@link KillSwitch} reload at once. It holds one connection of its own, outside the pool: a pooled
 * connection would be handed back with LISTEN still on it, and a pool under load must never delay this one.
 * If the connection breaks it reconnects and reloads (a change may have been missed meanwhile); the kill
 * switch's short poll covers the gap and a connection that died without telling anyone.
 */
@Singleton
final class KillSwitchListener {

    static final String CHANNEL = "gatehouse_kill_switch";
    /** Also the application_name of the connection, so an operator (or a test) can find it in pg_stat_activity. */
    static final String APPLICATION_NAME = "gatehouse-kill-switch";
    private static final int WAIT_MILLIS = 500;
    private static final long RETRY_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(KillSwitchListener.class);

    private final String url;
    private final Properties properties = new Properties();
    private final Runnable onChange;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    @Inject
    KillSwitchListener(@Value("${datasources.default.url}") String url,
                       @Nullable @Value("${datasources.default.username:}") String user,
                       @Nullable @Value("${datasources.default.password:}") String password,
                       KillSwitch killSwitch) {
        this(url, user, password, killSwitch::reload);
    }

    KillSwitchListener(String url, @Nullable String user, @Nullable String password, Runnable onChange) {
        this.url = url;
        this.onChange = onChange;
        if (user != null && !user.isBlank()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        start();
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // A platform thread: it blocks in the driver's socket read for its whole life.
        thread = Thread.ofPlatform().daemon().name("kill-switch-listener").start(this::run);
    }

    /** Whether LISTEN is in place right now. */
    boolean listening() {
        return listening;
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(WAIT_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        boolean failing = false;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                if (failing) {
                    LOG.info("Listening for kill-switch changes again");
                    failing = false;
                }
                onChange.run(); // anything changed while nobody was listening
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onChange.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running && !failing) {
                    failing = true;
                    LOG.warn("Lost the kill-switch listener connection ({}); polling covers the gap, reconnecting", e.getMessage());
                }
                pause();
            } finally {
                listening = false;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
