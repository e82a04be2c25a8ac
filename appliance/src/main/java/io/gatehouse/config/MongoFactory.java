package io.gatehouse.config;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/** The MongoDB client for chat history: a real MongoDB in production, the in-process server by default. */
@Factory
class MongoFactory {

    @Singleton
    MongoClient mongoClient(@Value("${gatehouse.mongodb.uri}") String uri) {
        ConnectionString connection = new ConnectionString(uri);
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    @Singleton
    MongoDatabase chatDatabase(MongoClient client, @Value("${gatehouse.mongodb.uri}") String uri) {
        String database = new ConnectionString(uri).getDatabase();
        return client.getDatabase(database == null ? "gatehouse" : database);
    }
}
