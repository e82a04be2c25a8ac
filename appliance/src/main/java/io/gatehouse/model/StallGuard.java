package io.gatehouse.model;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a provider's answer stream that delivers no bytes for longer than its timeout. One daemon
 * thread checks every open stream once a second, so a stalled model server cannot pin a chat turn (and
 * its virtual thread and connection) forever.
 */
final class StallGuard extends FilterInputStream {

    private static final Set<StallGuard> OPEN = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-stream-stall-guard");
        t.setDaemon(true);
        return t;
    });

    static {
        CHECKER.scheduleWithFixedDelay(StallGuard::checkAll, 1, 1, TimeUnit.SECONDS);
    }

    private final long limitNanos;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stalled;

    private StallGuard(InputStream in, Duration limit) {
        super(in);
        this.limitNanos = limit.toNanos();
    }

    static InputStream watch(InputStream in, Duration limit) {
        StallGuard guard = new StallGuard(in, limit);
        OPEN.add(guard);
        return guard;
    }

    @Override
    public int read() throws IOException {
        try {
            return afterRead(super.read());
        } catch (IOException e) {
            throw stalled ? new StalledException(Duration.ofNanos(limitNanos)) : e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return afterRead(super.read(buffer, offset, length));
        } catch (IOException e) {
            throw stalled ? new StalledException(Duration.ofNanos(limitNanos)) : e;
        }
    }

    private int afterRead(int result) throws IOException {
        if (stalled) {
            throw new StalledException(Duration.ofNanos(limitNanos));
        }
        lastActivity = System.nanoTime();
        return result;
    }

    @Override
    public void close() throws IOException {
        OPEN.remove(this);
        super.close();
    }

    private static void checkAll() {
        long now = System.nanoTime();
        for (StallGuard guard : OPEN) {
            if (now - guard.lastActivity > guard.limitNanos) {
                guard.stalled = true;
                OPEN.remove(guard);
                try {
                    guard.in.close(); // unblocks the reader, which then sees the stall
                } catch (IOException ignored) {
                    // the stream is being abandoned either way
                }
            }
        }
    }

    /** The provider sent nothing for {@link #silence()}. */
    static final class StalledException extends IOException {
        private final Duration silence;

        StalledException(Duration silence) {
            super("no data for " + silence.toSeconds() + " s");
            this.silence = silence;
        }

        Duration silence() {
            return silence;
        }
    }
}
