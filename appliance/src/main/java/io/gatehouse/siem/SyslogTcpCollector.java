package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a batch as octet-counted RFC 5424 messages on a fresh TCP connection, flushes and closes it. Plain TCP
 * syslog has no acknowledgement: a batch counts as delivered once the write, flush and close succeeded. A
 * connection per batch keeps that honest: a long-lived connection the collector silently dropped would swallow
 * writes for much longer.
 */
record SyslogTcpCollector(String host, int port, Duration timeout, String hostname, long procId, OcsfLines lines,
                          String destination) implements Collector {

    @Override
    public void send(List<AuditRecord> rows) throws DeliveryException {
        Socket socket = new Socket();
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean cutOff = new AtomicBoolean();
        // A socket write has no timeout of its own: a collector that stops reading would block the shipper, so the
        // socket is closed under it once the timeout has passed.
        CompletableFuture.runAsync(() -> {
            if (!done.get()) {
                cutOff.set(true);
                closeQuietly(socket);
            }
        }, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try (socket) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            for (AuditRecord row : rows) {
                out.write(SyslogMessage.frame(SyslogMessage.message(row, hostname, procId, lines.ascii(row))));
            }
            out.flush();
            socket.shutdownOutput();
            done.set(true);
        } catch (SocketTimeoutException e) {
            throw new DeliveryException("The syslog collector at " + destination + " did not accept the connection within "
                    + timeout.toSeconds() + " s.");
        } catch (IOException e) {
            if (cutOff.get()) {
                throw new DeliveryException("The syslog collector at " + destination + " did not take the batch within "
                        + timeout.toSeconds() + " s.");
            }
            throw new DeliveryException("Could not send to the syslog collector at " + destination + ": " + HttpCollector.reason(e) + ".");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}
