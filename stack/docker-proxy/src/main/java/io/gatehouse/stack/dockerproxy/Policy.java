package io.gatehouse.stack.dockerproxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allow-list: exactly the calls the portal's connector runtime makes, and only on objects that carry the owner
 * label. Everything else is refused. Objects named in a path are looked up upstream first, so the label that decides
 * is the engine's, never the caller's word.
 */
final class Policy {

    private static final Pattern IMAGE_INSPECT = Pattern.compile("/images/(.+)/json");
    private static final Pattern NETWORK_ACTION = Pattern.compile("/networks/([^/]+)/(connect|disconnect)");
    private static final Pattern NETWORK = Pattern.compile("/networks/([^/]+)");
    private static final Pattern CONTAINER_ACTION = Pattern.compile("/containers/([^/]+)/(start|json|logs)");
    private static final Pattern CONTAINER = Pattern.compile("/containers/([^/]+)");

    private final ProxySettings settings;
    private final Upstream upstream;

    Policy(ProxySettings settings, Upstream upstream) {
        this.settings = settings;
        this.upstream = upstream;
    }

    /**
     * @param method HTTP method
     * @param path   the decoded path without its API version prefix
     * @param query  the decoded query parameters
     * @param body   the request body (empty when none)
     */
    Decision decide(String method, String path, Map<String, List<String>> query, byte[] body) {
        Decision decision = route(method, path, query, body);
        // Only the calls that carry a definition may have a body: engines before 25 still apply a HostConfig sent with
        // "start" (API < 1.24), which would replace the hardened one checked at create.
        boolean takesBody = method.equals("POST") && (path.equals("/networks/create") || path.equals("/containers/create")
                || NETWORK_ACTION.matcher(path).matches());
        if (decision instanceof Decision.Forward && !takesBody && !isBlank(body)) {
            return Decision.refuse(method + " " + path + " takes no request body");
        }
        return decision;
    }

    private Decision route(String method, String path, Map<String, List<String>> query, byte[] body) {
        Matcher m;
        switch (method) {
            case "GET", "HEAD" -> {
                if (path.equals("/_ping")) {
                    return Decision.forward();
                }
                if (method.equals("GET") && path.equals("/version")) {
                    return Decision.forward();
                }
                if (method.equals("GET") && IMAGE_INSPECT.matcher(path).matches()) {
                    return Decision.forward();
                }
                if (method.equals("GET") && (m = CONTAINER_ACTION.matcher(path)).matches() && !m.group(2).equals("start")) {
                    return ownedContainer(m.group(1), "read " + m.group(2) + " of");
                }
            }
            case "POST" -> {
                if (path.equals("/networks/create")) {
                    StrictJson.Parsed json = StrictJson.parse(body);
                    if (!json.ok()) {
                        return Decision.refuse("the network definition cannot be checked: " + json.problem());
                    }
                    return CreateRules.refuseNetwork(json.json(), settings.owner()).map(Decision::refuse).orElseGet(Decision::forward);
                }
                if (path.equals("/containers/create")) {
                    List<String> names = query.getOrDefault("name", List.of());
                    if (names.size() > 1) {
                        return Decision.refuse("the container name is given more than once");
                    }
                    StrictJson.Parsed json = StrictJson.parse(body);
                    if (!json.ok()) {
                        return Decision.refuse("the container definition cannot be checked: " + json.problem());
                    }
                    return CreateRules.refuseContainer(names.isEmpty() ? null : names.getFirst(), json.json(), settings.owner())
                            .map(Decision::refuse).orElseGet(Decision::forward);
                }
                if ((m = NETWORK_ACTION.matcher(path)).matches()) {
                    return connect(m.group(1), m.group(2), body);
                }
                if ((m = CONTAINER_ACTION.matcher(path)).matches() && m.group(2).equals("start")) {
                    return ownedContainer(m.group(1), "start");
                }
            }
            case "DELETE" -> {
                if ((m = NETWORK.matcher(path)).matches() && !path.equals("/networks/create")) {
                    Upstream.Inspection network = upstream.inspect("networks", m.group(1));
                    if (!network.found()) {
                        return new Decision.Answer(network.status(), network.body());
                    }
                    return owned(network) ? Decision.forward()
                            : Decision.refuse("cannot delete network " + m.group(1) + ": it does not carry the label "
                                    + ProxySettings.OWNER_LABEL + "=" + settings.owner());
                }
                if ((m = CONTAINER.matcher(path)).matches()) {
                    return ownedContainer(m.group(1), "delete");
                }
            }
            default -> {
                return Decision.refuse(method + " requests are not allowed");
            }
        }
        return Decision.refuse(method + " " + path + " is not an allowed call (the proxy allows only what the connector runtime needs)");
    }

    private Decision ownedContainer(String id, String action) {
        Upstream.Inspection container = upstream.inspect("containers", id);
        if (!container.found()) {
            return new Decision.Answer(container.status(), container.body());
        }
        return owned(container) ? Decision.forward()
                : Decision.refuse("cannot " + action + " container " + id + ": it does not carry the label "
                        + ProxySettings.OWNER_LABEL + "=" + settings.owner());
    }

    /**
     * The portal joins and leaves connector networks; a connector container may also join one of the configured data
     * networks (where its database is). Nothing else may be wired together.
     */
    private Decision connect(String networkId, String action, byte[] body) {
        StrictJson.Parsed json = StrictJson.parse(body);
        if (!json.ok()) {
            return Decision.refuse("the network " + action + " request cannot be checked: " + json.problem());
        }
        String containerId = StrictJson.field(json.json(), "Container").asText("");
        if (containerId.isEmpty()) {
            return Decision.refuse("network " + action + " needs a Container");
        }
        Upstream.Inspection network = upstream.inspect("networks", networkId);
        if (!network.found()) {
            return new Decision.Answer(network.status(), network.body());
        }
        Upstream.Inspection container = upstream.inspect("containers", containerId);
        if (!container.found()) {
            return new Decision.Answer(container.status(), container.body());
        }
        boolean portal = isPortal(container);
        boolean ownedContainer = owned(container);
        if (owned(network)) {
            return portal || ownedContainer ? Decision.forward()
                    : Decision.refuse("cannot " + action + " container " + containerId + ": only the portal and containers labelled "
                            + ProxySettings.OWNER_LABEL + "=" + settings.owner() + " may join connector networks");
        }
        if (ownedContainer && !portal && settings.dataNetworks().contains(network.name())) {
            return Decision.forward();
        }
        return Decision.refuse("cannot " + action + " network " + networkId + ": it does not carry the label "
                + ProxySettings.OWNER_LABEL + "=" + settings.owner() + " and is not a data network in DOCKER_PROXY_DATA_NETWORKS");
    }

    private boolean owned(Upstream.Inspection object) {
        return settings.owner().equals(object.label(ProxySettings.OWNER_LABEL));
    }

    private boolean isPortal(Upstream.Inspection container) {
        String portal = settings.portalContainer();
        if (portal.isEmpty()) {
            return false;
        }
        return portal.equals(container.name()) || (portal.length() >= 12 && container.id().startsWith(portal));
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
