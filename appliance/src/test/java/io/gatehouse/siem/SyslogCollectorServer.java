package io.gatehouse.siem;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A syslog collector on loopback that reads RFC 6587 octet-counted frames strictly: digits, one space, exactly
 * that many bytes, then the next frame or the end of the connection; anything else is kept as a framing error.
 * {@link #stop()} and {@link #restart()} make it unreachable and reachable again on the same port.
 */
final class SyslogCollectorServer implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> framingErrors = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket socket;

    SyslogCollectorServer() {
        socket = open(0);
        port = socket.getLocalPort();
        accept(socket);
    }

    int port() {
        return port;
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    List<String> framingErrors() {
        return List.copyOf(framingErrors);
    }

    void stop() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restart() {
        socket = open(port);
        accept(socket);
    }

    private static ServerSocket open(int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket server) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    Thread.ofVirtual().start(() -> read(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void read(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream())) {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return; // the sender closed after a whole frame
                }
                StringBuilder digits = new StringBuilder();
                while (c >= '0' && c <= '9') {
                    digits.append((char) c);
                    c = in.read();
                }
                if (digits.isEmpty() || c != ' ') {
                    framingErrors.add("expected MSG-LEN SP, got '" + digits + "' then " + c);
                    return;
                }
                int length = Integer.parseInt(digits.toString());
                byte[] message = in.readNBytes(length);
                if (message.length != length) {
                    framingErrors.add("frame announced " + length + " bytes but the connection ended after " + message.length);
                    return;
                }
                messages.add(new String(message, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            framingErrors.add("read failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
