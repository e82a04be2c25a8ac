package io.gatehouse.connector;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: each connector is a child JVM on loopback with a random port and its own token.
 * The child gets a clean environment (only its own settings), so the portal's secrets never reach it.
 */
@Singleton
@Requires(property = "gatehouse.connectors.runtime", value = "process", defaultValue = "process")
final class ProcessConnectorRuntime implements ConnectorRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessConnectorRuntime.class);
    private static final Pattern READY = Pattern.compile("GATEHOUSE_CONNECTOR_LISTENING port=(\\d+)");

    private final ConnectorSettings settings;

    ProcessConnectorRuntime(ConnectorSettings settings) {
        this.settings = settings;
    }

    private record Handle(Process process, LogTail log) {
    }

    @Override
    public RunningConnector start(ConnectorLaunch launch) {
        if (launch.external() != null) {
            throw new ConnectorStartException("Bring-your-own MCP servers run only as containers: set GATEHOUSE_CONNECTOR_RUNTIME=docker.");
        }
        Path jar = settings.jarDir().toAbsolutePath().resolve(launch.kind()).resolve("target").resolve("connector-" + launch.kind() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new ConnectorStartException("The " + launch.kind() + " connector is not built (no " + jar
                    + "). Build it with ./gatehouse run, or ./mvnw -pl connectors/" + launch.kind() + " -am package.");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Small-footprint flags measured for connectors: serial GC, small initial heap returned to the OS,
        // C1 only (they are I/O-bound), and native heap trimming.
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-XX:TrimNativeHeapInterval=1000", "-Xss512k", "-Xshare:auto", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(launch.environment());
        env.put("GATEHOUSE_CONNECTOR_TOKEN", launch.token());
        env.put("GATEHOUSE_CONNECTOR_HOST", "127.0.0.1");
        env.put("GATEHOUSE_CONNECTOR_PORT", "0");
        env.put("LANG", "C.UTF-8");
        // The child exits when its stdin (a pipe from us) closes, so it never outlives a killed portal.
        env.put("GATEHOUSE_CONNECTOR_EXIT_WITH_PARENT", "stdin");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ConnectorStartException("Could not start the " + launch.name() + " connector: " + e.getMessage(), e);
        }
        LogTail log = new LogTail(200);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        pump(process.getInputStream(), launch.name(), log, port);
        pump(process.getErrorStream(), launch.name(), log, null);
        long started = System.nanoTime();
        try {
            int listening = port.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            URI base = URI.create("http://127.0.0.1:" + listening);
            HealthProbe.await(base.resolve("/health"), settings.startTimeout().minusNanos(System.nanoTime() - started), process::isAlive);
            return new RunningConnector(launch.connectorId(), launch.name(), base.resolve("/mcp"), launch.token(), new Handle(process, log));
        } catch (TimeoutException | ExecutionException | ConnectorStartException e) {
            process.destroyForcibly();
            throw new ConnectorStartException("The " + launch.name() + " connector did not become healthy within "
                    + settings.startTimeout().toSeconds() + " s" + lastLines(log), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ConnectorStartException("Interrupted while starting the " + launch.name() + " connector", e);
        }
    }

    private static void pump(InputStream stream, String name, LogTail log, CompletableFuture<Integer> port) {
        Thread.ofVirtual().name("connector-log-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.add(line);
                    Matcher ready = READY.matcher(line);
                    if (port != null && !port.isDone() && ready.find()) {
                        port.complete(Integer.parseInt(ready.group(1)));
                    }
                    LOG.debug("[{}] {}", name, line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            if (port != null) {
                port.completeExceptionally(new IOException("the connector exited before it was ready"));
            }
        });
    }

    private static String lastLines(LogTail log) {
        List<String> lines = log.lines();
        if (lines.isEmpty()) {
            return ".";
        }
        return ". Its last output: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** The child's process, for tests that kill it. */
    static ProcessHandle process(RunningConnector running) {
        return ((Handle) running.handle()).process().toHandle();
    }

    @Override
    public boolean isAlive(RunningConnector running) {
        return ((Handle) running.handle()).process().isAlive();
    }

    @Override
    public void stop(RunningConnector running) {
        Process process = ((Handle) running.handle()).process();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<String> recentLog(RunningConnector running) {
        return ((Handle) running.handle()).log().lines();
    }
}
