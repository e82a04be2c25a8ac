package io.gatehouse.stack.mongo;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire server on one H2 MVStore file, for sites where the official {@code mongo} image cannot be pulled.
 * The portal's chat history needs only documents, simple filters, sorts and ascending/descending indexes, which
 * mongo-java-server implements. Stops cleanly on SIGTERM (listener closed, store committed and closed).
 */
public final class MongoWireServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MongoWireServer.class);

    private final MongoServer server;
    private final MVStore store;
    private final InetSocketAddress address;

    private MongoWireServer(MongoServer server, MVStore store, InetSocketAddress address) {
        this.server = server;
        this.store = store;
        this.address = address;
    }

    /** Opens (or creates) the store file and listens. */
    static MongoWireServer start(MongoWireSettings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
        // The background auto-commit stays on as a second line; DurableH2Backend commits before each acknowledgement.
        MVStore store = new MVStore.Builder().fileName(settings.storeFile().toString()).open();
        try {
            MongoServer server = new MongoServer(new DurableH2Backend(store));
            server.bind(settings.bind(), settings.port());
            return new MongoWireServer(server, store, server.getLocalAddress());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** Stops listening, closes client connections, then commits and closes the store (via the backend). */
    @Override
    public void close() {
        server.shutdown();
        if (!store.isClosed()) {
            store.close();
        }
    }

    public static void main(String[] args) {
        MongoWireServer running;
        try {
            MongoWireSettings settings = MongoWireSettings.from(System.getenv());
            running = start(settings);
            LOG.info("gatehouse mongo-wire ready on {}:{} (store {})", settings.bind(), running.address().getPort(), settings.storeFile());
        } catch (IOException | RuntimeException e) {
            System.err.println("gatehouse mongo-wire could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        MongoWireServer server = running;
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mongo-wire-shutdown").unstarted(() -> {
            LOG.info("gatehouse mongo-wire stopping");
            server.close();
            LOG.info("gatehouse mongo-wire stopped; store closed");
        }));
    }
}
