package io.gatehouse.stack.dockerproxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a connector container or network must look like to be created: pure functions of the request, so every rule
 * has its test. The container rules mirror the portal's {@code connector.ContainerHardening}; HostConfig is checked
 * against an allow-list, so a field this proxy does not know is refused rather than passed through.
 */
final class CreateRules {

    /** HostConfig fields that only limit the container, with any value. */
    private static final Set<String> FREE_HOST_FIELDS = Set.of("Memory", "MemorySwap", "MemoryReservation", "NanoCpus",
            "CpuShares", "CpuQuota", "CpuPeriod", "PidsLimit", "Init", "Tmpfs", "AutoRemove", "LogConfig", "ShmSize",
            "OomScoreAdj", "Ulimits");

    /** HostConfig fields checked one by one below. */
    private static final Set<String> CHECKED_HOST_FIELDS = Set.of("Privileged", "Binds", "Mounts", "Devices", "CapAdd",
            "CapDrop", "ReadonlyRootfs", "SecurityOpt", "NetworkMode", "PidMode", "IpcMode", "UsernsMode", "UTSMode",
            "CgroupnsMode", "PortBindings", "PublishAllPorts", "RestartPolicy", "Runtime");

    private CreateRules() {
    }

    /** Why this container must not be created, or empty when it may. */
    static Optional<String> refuseContainer(String name, JsonNode body, String owner) {
        if (name == null || !name.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("a container's name must start with " + ProxySettings.CONNECTOR_PREFIX + " (got "
                    + (name == null ? "no name" : "'" + name + "'") + ")");
        }
        Optional<String> label = refuseOwnerLabel(body.path("Labels"), owner, "container");
        if (label.isPresent()) {
            return label;
        }
        String user = body.path("User").asText("").strip();
        if (user.isEmpty()) {
            return Optional.of("User must be set to a non-root user (the image's default user could be root)");
        }
        String[] uidGid = user.split(":", 2);
        if (isRoot(uidGid[0]) || (uidGid.length == 2 && isRoot(uidGid[1]))) {
            return Optional.of("User must not be root (got '" + user + "')");
        }
        JsonNode host = body.path("HostConfig");
        if (!host.isObject()) {
            return Optional.of("HostConfig is missing: a connector container must be created with the hardened host configuration");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = host.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!FREE_HOST_FIELDS.contains(field.getKey()) && !CHECKED_HOST_FIELDS.contains(field.getKey()) && !isEmpty(field.getValue())) {
                return Optional.of("HostConfig." + field.getKey() + " is not allowed for a connector container");
            }
        }
        if (host.path("Privileged").asBoolean(false)) {
            return Optional.of("HostConfig.Privileged must be false");
        }
        if (!isEmpty(host.path("Binds"))) {
            return Optional.of("HostConfig.Binds is not allowed: a connector gets no host directories");
        }
        for (JsonNode mount : host.path("Mounts")) {
            if (!"tmpfs".equals(mount.path("Type").asText())) {
                return Optional.of("HostConfig.Mounts may only hold tmpfs mounts (got type '" + mount.path("Type").asText() + "')");
            }
        }
        if (!isEmpty(host.path("Devices"))) {
            return Optional.of("HostConfig.Devices is not allowed");
        }
        if (!isEmpty(host.path("CapAdd"))) {
            return Optional.of("HostConfig.CapAdd must be empty: a connector gets no capabilities");
        }
        if (!containsText(host.path("CapDrop"), "ALL")) {
            return Optional.of("HostConfig.CapDrop must contain ALL");
        }
        if (!host.path("ReadonlyRootfs").asBoolean(false)) {
            return Optional.of("HostConfig.ReadonlyRootfs must be true");
        }
        Optional<String> securityOpt = refuseSecurityOpt(host.path("SecurityOpt"));
        if (securityOpt.isPresent()) {
            return securityOpt;
        }
        String network = host.path("NetworkMode").asText("");
        if (!network.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("HostConfig.NetworkMode must be a " + ProxySettings.CONNECTOR_PREFIX + " network (got '" + network + "')");
        }
        for (String mode : new String[] {"PidMode", "UsernsMode", "UTSMode"}) {
            if (!host.path(mode).asText("").isEmpty()) {
                return Optional.of("HostConfig." + mode + " must not be set (got '" + host.path(mode).asText() + "')");
            }
        }
        if (!Set.of("", "private", "none").contains(host.path("IpcMode").asText(""))) {
            return Optional.of("HostConfig.IpcMode must be private or none (got '" + host.path("IpcMode").asText() + "')");
        }
        if (!Set.of("", "private").contains(host.path("CgroupnsMode").asText(""))) {
            return Optional.of("HostConfig.CgroupnsMode must be private (got '" + host.path("CgroupnsMode").asText() + "')");
        }
        if (!isEmpty(host.path("PortBindings")) || host.path("PublishAllPorts").asBoolean(false)) {
            return Optional.of("HostConfig.PortBindings/PublishAllPorts are not allowed: a connector publishes no ports");
        }
        if (!Set.of("", "no").contains(host.path("RestartPolicy").path("Name").asText(""))) {
            return Optional.of("HostConfig.RestartPolicy must be no: the portal restarts its connectors itself");
        }
        if (!Set.of("", "runc").contains(host.path("Runtime").asText(""))) {
            return Optional.of("HostConfig.Runtime must be the default runc (got '" + host.path("Runtime").asText() + "')");
        }
        for (Iterator<String> it = body.path("NetworkingConfig").path("EndpointsConfig").fieldNames(); it.hasNext(); ) {
            String endpoint = it.next();
            if (!endpoint.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
                return Optional.of("NetworkingConfig may only name " + ProxySettings.CONNECTOR_PREFIX + " networks (got '" + endpoint + "')");
            }
        }
        return Optional.empty();
    }

    /** Why this network must not be created, or empty when it may. */
    static Optional<String> refuseNetwork(JsonNode body, String owner) {
        String name = body.path("Name").asText("");
        if (!name.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("a network's name must start with " + ProxySettings.CONNECTOR_PREFIX + " (got '" + name + "')");
        }
        if (!body.path("Internal").asBoolean(false)) {
            return Optional.of("a connector network must be Internal (no route out of the host)");
        }
        String driver = body.path("Driver").asText("");
        if (!driver.isEmpty() && !"bridge".equals(driver)) {
            return Optional.of("a connector network must use the bridge driver (got '" + driver + "')");
        }
        Optional<String> label = refuseOwnerLabel(body.path("Labels"), owner, "network");
        if (label.isPresent()) {
            return label;
        }
        for (String flag : new String[] {"Ingress", "Attachable", "ConfigOnly", "EnableIPv6"}) {
            if (body.path(flag).asBoolean(false)) {
                return Optional.of(flag + " is not allowed for a connector network");
            }
        }
        if (!isEmpty(body.path("ConfigFrom"))) {
            return Optional.of("ConfigFrom is not allowed for a connector network");
        }
        // The bridge must be called ghc-*: the host firewall rule (docker/connector-firewall.sh) matches that name.
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("Options").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            if (!"com.docker.network.bridge.name".equals(option.getKey())) {
                return Optional.of("network option " + option.getKey() + " is not allowed");
            }
            if (!option.getValue().asText("").startsWith("ghc-")) {
                return Optional.of("the bridge name must start with ghc- (got '" + option.getValue().asText() + "')");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> refuseOwnerLabel(JsonNode labels, String owner, String what) {
        if (!owner.equals(labels.path(ProxySettings.OWNER_LABEL).asText(null))) {
            return Optional.of("a " + what + " must carry the label " + ProxySettings.OWNER_LABEL + "=" + owner);
        }
        return Optional.empty();
    }

    private static Optional<String> refuseSecurityOpt(JsonNode options) {
        boolean noNewPrivileges = false;
        for (JsonNode option : options) {
            String text = option.asText("");
            if (Set.of("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true").contains(text)) {
                noNewPrivileges = true;
            } else {
                return Optional.of("HostConfig.SecurityOpt '" + text + "' is not allowed");
            }
        }
        return noNewPrivileges ? Optional.empty() : Optional.of("HostConfig.SecurityOpt must contain no-new-privileges");
    }

    private static boolean isRoot(String user) {
        return "root".equals(user) || "0".equals(user);
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Absent, null, false, zero, "" or an empty array/object: the engine's default. */
    static boolean isEmpty(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || (value.isBoolean() && !value.asBoolean())
                || (value.isNumber() && value.asLong() == 0) || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }
}
