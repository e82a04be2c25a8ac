package io.gatehouse.stack.mongo;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 MVStore backend, committing before a write is acknowledged.
 *
 * <p>Why: mongo-java-server never commits the MVStore itself; it relies on the store's background auto-commit
 * (one second by default) and on {@link #close()}. A write the driver was told succeeded could then be lost if
 * the process dies before that second is up. Here every command that left unsaved changes commits them to the
 * file before its reply goes out, so an acknowledged write survives the process being stopped or killed (it is in
 * the operating system's page cache; the store is fsynced when it closes). Reads leave no unsaved changes and
 * commit nothing.
 */
final class DurableH2Backend extends H2Backend {

    private final MVStore store;

    DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            commitIfChanged();
        }
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        try {
            return super.handleMessage(message);
        } finally {
            commitIfChanged();
        }
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        try {
            return super.handleQuery(query);
        } finally {
            commitIfChanged();
        }
    }

    private void commitIfChanged() {
        if (!store.isClosed() && store.hasUnsavedChanges()) {
            store.commit();
        }
    }
}
