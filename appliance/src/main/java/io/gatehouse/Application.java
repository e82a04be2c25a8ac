package io.gatehouse;

import io.gatehouse.config.PortalLauncher;

/** Entry point: starts the portal (embedded stores unless production URLs are given) and prints its URL. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        PortalLauncher.RunningPortal portal = PortalLauncher.start(System.getenv(), java.util.Map.of());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(portal::close));
        System.out.println();
        System.out.println("  Gatehouse is running at " + portal.url());
        System.out.println();
    }
}
