package io.gatehouse.secret;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

@Factory
class RandomFactory {

    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
