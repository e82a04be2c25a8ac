package io.gatehouse.stack.mongo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the server keeps its file and where it listens, from the environment.
 *
 * @param dataDir {@code MONGO_WIRE_DATA_DIR} (default /home/gatehouse/data, created if missing)
 * @param bind    {@code MONGO_WIRE_BIND} (default 0.0.0.0)
 * @param port    {@code MONGO_WIRE_PORT} (default 27017)
 */
record MongoWireSettings(Path dataDir, String bind, int port) {

    static final String STORE_FILE = "gatehouse.mv.db";

    static MongoWireSettings from(Map<String, String> env) {
        String port = env.getOrDefault("MONGO_WIRE_PORT", "27017").strip();
        int parsed;
        try {
            parsed = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MONGO_WIRE_PORT must be a port number, not '" + port + "'");
        }
        if (parsed < 0 || parsed > 65535) {
            throw new IllegalArgumentException("MONGO_WIRE_PORT must be between 0 and 65535, not " + parsed);
        }
        return new MongoWireSettings(Path.of(env.getOrDefault("MONGO_WIRE_DATA_DIR", "/home/gatehouse/data")),
                env.getOrDefault("MONGO_WIRE_BIND", "0.0.0.0"), parsed);
    }

    Path storeFile() {
        return dataDir.resolve(STORE_FILE);
    }
}
