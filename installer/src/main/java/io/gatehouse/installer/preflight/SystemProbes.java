package io.gatehouse.installer.preflight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What preflight asks the machine directly (not through a program): ports, free disk, memory. Tests script them. */
public interface SystemProbes {

    enum PortState { FREE, IN_USE, NO_PERMISSION }

    PortState port(int port);

    /** Usable bytes on the file system holding the path (or its nearest existing parent). */
    long freeBytes(Path path);

    /** MemTotal from /proc/meminfo, in bytes; empty when unknown. */
    OptionalLong memoryBytes();

    static SystemProbes real() {
        return new SystemProbes() {
            @Override
            public PortState port(int port) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(port));
                    return PortState.FREE;
                } catch (SocketException e) {
                    return e.getMessage() != null && e.getMessage().toLowerCase().contains("permission") ? PortState.NO_PERMISSION : PortState.IN_USE;
                } catch (IOException e) {
                    return PortState.IN_USE;
                }
            }

            @Override
            public long freeBytes(Path path) {
                Path existing = path.toAbsolutePath();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                try {
                    return Files.getFileStore(existing == null ? Path.of("/") : existing).getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            public OptionalLong memoryBytes() {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                        if (line.startsWith("MemTotal:")) {
                            return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    return OptionalLong.empty();
                }
                return OptionalLong.empty();
            }
        };
    }
}
