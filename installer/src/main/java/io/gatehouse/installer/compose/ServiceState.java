package io.gatehouse.installer.compose;

/** One service container as docker inspect sees it: status running/exited/..., health healthy/starting/unhealthy/none. */
public record ServiceState(String service, String status, String health) {

    /** Healthy when its healthcheck says so; a container without a healthcheck counts when it runs. */
    public boolean healthy() {
        return health.equals("healthy") || (health.equals("none") && status.equals("running"));
    }

    public String describe() {
        return status.equals("running") ? (health.equals("none") ? "running" : health) : status;
    }
}
