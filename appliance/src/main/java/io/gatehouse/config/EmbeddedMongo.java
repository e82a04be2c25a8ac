package io.gatehouse.config;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MongoDB wire protocol served in-process (mongo-java-server) for the embedded default; the H2
 * MVStore backend keeps conversations on disk across restarts. Production uses a real MongoDB.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server) {
        this.server = server;
        server.bind("127.0.0.1", 0);
        this.address = server.getLocalAddress();
    }

    public static EmbeddedMongo persistent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedMongo(new MongoServer(new H2Backend(file.toString())));
    }

    public static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(new MongoServer(new MemoryBackend()));
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + address.getPort() + "/gatehouse";
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
