package io.gatehouse.health;

import com.mongodb.client.MongoDatabase;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.bson.Document;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Readiness of the chat history store: a MongoDB ping. */
@Singleton
@Readiness
final class MongoHealthIndicator implements HealthIndicator {

    private final MongoDatabase database;

    MongoHealthIndicator(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(() -> {
            try {
                database.runCommand(new Document("ping", 1));
                return HealthResult.builder("mongodb", HealthStatus.UP).build();
            } catch (RuntimeException e) {
                return HealthResult.builder("mongodb", HealthStatus.DOWN).details(Map.of("error", e.getClass().getSimpleName())).build();
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
