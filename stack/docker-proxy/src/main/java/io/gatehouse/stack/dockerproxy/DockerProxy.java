package io.gatehouse.stack.dockerproxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restricted Docker API proxy between the portal and the engine: the portal never holds the Docker socket,
 * which is root on the host. It may only create hardened, owner-labelled connector containers on internal
 * networks, and start, inspect, read the logs of and remove those; see {@link Policy}.
 */
public final class DockerProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerProxy.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Upstream upstream;

    private DockerProxy(HttpServer server, ExecutorService executor, Upstream upstream) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
    }

    static DockerProxy start(ProxySettings settings) throws IOException {
        Upstream upstream = new Upstream(settings.upstream());
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new ProxyHandler(new Policy(settings, upstream), upstream));
        server.start();
        return new DockerProxy(server, executor, upstream);
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            upstream.close();
        } catch (IOException e) {
            LOG.warn("closing the upstream connection failed: {}", e.getMessage());
        }
    }

    public static void main(String[] args) {
        ProxySettings settings;
        DockerProxy proxy;
        try {
            settings = ProxySettings.from(System.getenv());
            proxy = start(settings);
        } catch (IOException | RuntimeException e) {
            System.err.println("gatehouse docker-proxy could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        LOG.info("gatehouse docker-proxy ready on {}:{} -> {} (owner label {}={}, portal container {}, data networks {})",
                settings.bind(), proxy.address().getPort(), settings.upstream(), ProxySettings.OWNER_LABEL, settings.owner(),
                settings.portalContainer(), settings.dataNetworks());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("docker-proxy-shutdown").unstarted(proxy::close));
    }
}
