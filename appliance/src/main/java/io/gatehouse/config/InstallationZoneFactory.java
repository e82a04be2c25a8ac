package io.gatehouse.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.ZoneId;

/**
 * The installation's zone as a plain {@link ZoneId} bean named {@value #NAME}, for packages that {@link InstallationZone}
 * would put in a package cycle: io.gatehouse.license is used by access, which connector, demo and so config depend on,
 * so license cannot import config. Injecting a JDK type by name keeps the one parse (and its error sentence) here.
 */
@Factory
class InstallationZoneFactory {

    /** Repeated as a literal where it is injected (those packages cannot import this constant). */
    static final String NAME = "installation-zone";

    @Singleton
    @Named(NAME)
    ZoneId installationZone(InstallationZone zone) {
        return zone.zone();
    }
}
