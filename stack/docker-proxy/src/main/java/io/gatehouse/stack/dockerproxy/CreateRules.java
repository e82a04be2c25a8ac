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
            "CpuShares", "CpuQuota", "CpuPeriod", "PidsLimit", "Init", "Tmpfs", "AutoRemove", "ShmSize", "OomScoreAdj", "Ulimits");

    /** HostConfig fields checked one by one below. */
    private static final Set<String> CHECKED_HOST_FIELDS = Set.of("Privileged", "Binds", "Mounts", "Devices", "CapAdd",
            "CapDrop", "ReadonlyRootfs", "SecurityOpt", "NetworkMode", "PidMode", "IpcMode", "UsernsMode", "UTSMode",
            "CgroupnsMode", "PortBindings", "PublishAllPorts", "RestartPolicy", "Runtime", "LogConfig");

    /** Log drivers that keep the output on this host (syslog, gelf, fluentd... ship it off the host from the engine). */
    private static final Set<String> LOCAL_LOG_DRIVERS = Set.of("", "json-file", "local", "none");

    private static final java.util.regex.Pattern NON_ROOT_USER = java.util.regex.Pattern.compile("[1-9][0-9]*(:[1-9][0-9]*)?");

    private CreateRules() {
    }

    /** Why this container must not be created, or empty when it may. */
    static Optional<String> refuseContainer(String name, JsonNode body, String owner) {
        if (name == null || !name.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("a container's name must start with " + ProxySettings.CONNECTOR_PREFIX + " (got "
                    + (name == null ? "no name" : "'" + name + "'") + ")");
        }
        Optional<String> label = refuseOwnerLabel(StrictJson.field(body, "Labels"), owner, "container");
        if (label.isPresent()) {
            return label;
        }
        String user = StrictJson.field(body, "User").asText("").strip();
        if (user.isEmpty()) {
            return Optional.of("User must be set to a non-root user (the image's default user could be root)");
        }
        // Numeric ids only: "00", "+0" or a name could all mean root inside the image.
        if (!NON_ROOT_USER.matcher(user).matches()) {
            return Optional.of("User must be a numeric non-root uid[:gid], e.g. 10001:10001 (got '" + user + "')");
        }
        JsonNode host = StrictJson.field(body, "HostConfig");
        if (!host.isObject()) {
            return Optional.of("HostConfig is missing: a connector container must be created with the hardened host configuration");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = host.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!StrictJson.isOneOf(field.getKey(), FREE_HOST_FIELDS) && !StrictJson.isOneOf(field.getKey(), CHECKED_HOST_FIELDS)
                    && !isEmpty(field.getValue())) {
                return Optional.of("HostConfig." + field.getKey() + " is not allowed for a connector container");
            }
        }
        if (StrictJson.field(host, "Privileged").asBoolean(false)) {
            return Optional.of("HostConfig.Privileged must be false");
        }
        if (!isEmpty(StrictJson.field(host, "Binds"))) {
            return Optional.of("HostConfig.Binds is not allowed: a connector gets no host directories");
        }
        for (JsonNode mount : StrictJson.field(host, "Mounts")) {
            if (!"tmpfs".equals(StrictJson.field(mount, "Type").asText())) {
                return Optional.of("HostConfig.Mounts may only hold tmpfs mounts (got type '" + StrictJson.field(mount, "Type").asText() + "')");
            }
        }
        if (!isEmpty(StrictJson.field(host, "Devices"))) {
            return Optional.of("HostConfig.Devices is not allowed");
        }
        if (!isEmpty(StrictJson.field(host, "CapAdd"))) {
            return Optional.of("HostConfig.CapAdd must be empty: a connector gets no capabilities");
        }
        if (!containsText(StrictJson.field(host, "CapDrop"), "ALL")) {
            return Optional.of("HostConfig.CapDrop must contain ALL");
        }
        if (!StrictJson.field(host, "ReadonlyRootfs").asBoolean(false)) {
            return Optional.of("HostConfig.ReadonlyRootfs must be true");
        }
        Optional<String> securityOpt = refuseSecurityOpt(StrictJson.field(host, "SecurityOpt"));
        if (securityOpt.isPresent()) {
            return securityOpt;
        }
        String network = StrictJson.field(host, "NetworkMode").asText("");
        if (!network.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("HostConfig.NetworkMode must be a " + ProxySettings.CONNECTOR_PREFIX + " network (got '" + network + "')");
        }
        for (String mode : new String[] {"PidMode", "UsernsMode", "UTSMode"}) {
            if (!host.path(mode).asText("").isEmpty()) {
                return Optional.of("HostConfig." + mode + " must not be set (got '" + host.path(mode).asText() + "')");
            }
        }
        if (!Set.of("", "private", "none").contains(StrictJson.field(host, "IpcMode").asText(""))) {
            return Optional.of("HostConfig.IpcMode must be private or none (got '" + StrictJson.field(host, "IpcMode").asText() + "')");
        }
        if (!Set.of("", "private").contains(StrictJson.field(host, "CgroupnsMode").asText(""))) {
            return Optional.of("HostConfig.CgroupnsMode must be private (got '" + StrictJson.field(host, "CgroupnsMode").asText() + "')");
        }
        if (!isEmpty(StrictJson.field(host, "PortBindings")) || StrictJson.field(host, "PublishAllPorts").asBoolean(false)) {
            return Optional.of("HostConfig.PortBindings/PublishAllPorts are not allowed: a connector publishes no ports");
        }
        if (!Set.of("", "no").contains(StrictJson.field(StrictJson.field(host, "RestartPolicy"), "Name").asText(""))) {
            return Optional.of("HostConfig.RestartPolicy must be no: the portal restarts its connectors itself");
        }
        String logDriver = StrictJson.field(StrictJson.field(host, "LogConfig"), "Type").asText("");
        if (!LOCAL_LOG_DRIVERS.contains(logDriver)) {
            return Optional.of("HostConfig.LogConfig.Type must keep the logs on this host (json-file, local or none; got '" + logDriver + "')");
        }
        if (!Set.of("", "runc").contains(StrictJson.field(host, "Runtime").asText(""))) {
            return Optional.of("HostConfig.Runtime must be the default runc (got '" + StrictJson.field(host, "Runtime").asText() + "')");
        }
        for (Iterator<String> it = StrictJson.field(StrictJson.field(body, "NetworkingConfig"), "EndpointsConfig").fieldNames(); it.hasNext(); ) {
            String endpoint = it.next();
            if (!endpoint.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
                return Optional.of("NetworkingConfig may only name " + ProxySettings.CONNECTOR_PREFIX + " networks (got '" + endpoint + "')");
            }
        }
        return Optional.empty();
    }

    /** Why this network must not be created, or empty when it may. */
    static Optional<String> refuseNetwork(JsonNode body, String owner) {
        String name = StrictJson.field(body, "Name").asText("");
        if (!name.startsWith(ProxySettings.CONNECTOR_PREFIX)) {
            return Optional.of("a network's name must start with " + ProxySettings.CONNECTOR_PREFIX + " (got '" + name + "')");
        }
        if (!StrictJson.field(body, "Internal").asBoolean(false)) {
            return Optional.of("a connector network must be Internal (no route out of the host)");
        }
        String driver = StrictJson.field(body, "Driver").asText("");
        if (!driver.isEmpty() && !"bridge".equals(driver)) {
            return Optional.of("a connector network must use the bridge driver (got '" + driver + "')");
        }
        Optional<String> label = refuseOwnerLabel(StrictJson.field(body, "Labels"), owner, "network");
        if (label.isPresent()) {
            return label;
        }
        for (String flag : new String[] {"Ingress", "Attachable", "ConfigOnly", "EnableIPv6"}) {
            if (StrictJson.field(body, flag).asBoolean(false)) {
                return Optional.of(flag + " is not allowed for a connector network");
            }
        }
        if (!isEmpty(StrictJson.field(body, "ConfigFrom"))) {
            return Optional.of("ConfigFrom is not allowed for a connector network");
        }
        // The bridge must be called ghc-*: the host firewall rule (docker/connector-firewall.sh) matches that name, and a
        // bridge named br-<id> by default would escape it.
        JsonNode options = StrictJson.field(body, "Options");
        if (!StrictJson.field(options, "com.docker.network.bridge.name").asText("").startsWith("ghc-")) {
            return Optional.of("a connector network needs the option com.docker.network.bridge.name=ghc-<id> (the host firewall rule matches it)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
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
