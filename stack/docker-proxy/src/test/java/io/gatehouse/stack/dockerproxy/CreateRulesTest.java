package io.gatehouse.stack.dockerproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The create rules as pure functions, for the cases the engine test does not reach. */
class CreateRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "gatehouse-conn-sql-1234abcd";

    private static ObjectNode hardened() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"Image":"gatehouse/connector-sql:0.1.0","User":"10001:10001","Env":["A=b"],
                     "Labels":{"io.gatehouse.owner":"gatehouse","io.gatehouse.connector":"sql"},
                     "HostConfig":{"NetworkMode":"gatehouse-conn-sql-1234abcd","ReadonlyRootfs":true,
                       "Tmpfs":{"/tmp":"rw,noexec,nosuid,nodev,size=64m"},"CapDrop":["ALL"],
                       "SecurityOpt":["no-new-privileges:true"],"Memory":268435456,"MemorySwap":268435456,
                       "NanoCpus":500000000,"PidsLimit":128,"Privileged":false,"PublishAllPorts":false,"Init":true}}
                    """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refusal(Consumer<ObjectNode> change) {
        ObjectNode body = hardened();
        change.accept(body);
        return CreateRules.refuseContainer(NAME, body, "gatehouse").orElse("allowed");
    }

    private static ObjectNode host(ObjectNode body) {
        return (ObjectNode) body.get("HostConfig");
    }

    @Test
    void theHardenedConfigurationIsAllowed() {
        assertThat(refusal(b -> { })).isEqualTo("allowed");
        assertThat(refusal(b -> host(b).putArray("Mounts").addObject().put("Type", "tmpfs").put("Target", "/cache"))).isEqualTo("allowed");
        assertThat(refusal(b -> host(b).putArray("SecurityOpt").add("no-new-privileges"))).isEqualTo("allowed");
    }

    @Test
    void anythingOutsideTheHardenedShapeIsRefusedNamingTheField() {
        assertThat(refusal(b -> host(b).putArray("Mounts").addObject().put("Type", "bind").put("Source", "/")))
                .contains("HostConfig.Mounts may only hold tmpfs mounts");
        assertThat(refusal(b -> host(b).putArray("Mounts").addObject().put("Type", "volume").put("Source", "x")))
                .contains("HostConfig.Mounts may only hold tmpfs mounts");
        assertThat(refusal(b -> host(b).putArray("Devices").addObject().put("PathOnHost", "/dev/sda"))).contains("HostConfig.Devices");
        assertThat(refusal(b -> host(b).putArray("CapDrop").add("NET_RAW"))).contains("HostConfig.CapDrop must contain ALL");
        assertThat(refusal(b -> host(b).remove("SecurityOpt"))).contains("HostConfig.SecurityOpt must contain no-new-privileges");
        assertThat(refusal(b -> ((ArrayNode) host(b).get("SecurityOpt")).add("seccomp=unconfined")))
                .contains("HostConfig.SecurityOpt 'seccomp=unconfined' is not allowed");
        assertThat(refusal(b -> host(b).put("IpcMode", "host"))).contains("HostConfig.IpcMode");
        assertThat(refusal(b -> host(b).put("UsernsMode", "host"))).contains("HostConfig.UsernsMode");
        assertThat(refusal(b -> host(b).put("UTSMode", "host"))).contains("HostConfig.UTSMode");
        assertThat(refusal(b -> host(b).put("PidMode", "container:gatehouse-portal"))).contains("HostConfig.PidMode");
        assertThat(refusal(b -> host(b).put("CgroupnsMode", "host"))).contains("HostConfig.CgroupnsMode");
        assertThat(refusal(b -> host(b).putObject("PortBindings").putArray("8080/tcp").addObject().put("HostPort", "80")))
                .contains("HostConfig.PortBindings");
        assertThat(refusal(b -> host(b).put("PublishAllPorts", true))).contains("PublishAllPorts");
        assertThat(refusal(b -> host(b).putArray("VolumesFrom").add("gatehouse-portal"))).contains("HostConfig.VolumesFrom is not allowed");
        assertThat(refusal(b -> host(b).putObject("Sysctls").put("net.ipv4.ip_forward", "1"))).contains("HostConfig.Sysctls is not allowed");
        assertThat(refusal(b -> host(b).put("Runtime", "sysbox-runc"))).contains("HostConfig.Runtime");
        assertThat(refusal(b -> host(b).putObject("RestartPolicy").put("Name", "always"))).contains("HostConfig.RestartPolicy");
        assertThat(refusal(b -> b.remove("HostConfig"))).contains("HostConfig is missing");
        assertThat(refusal(b -> b.remove("User"))).contains("User must be set");
        for (String root : new String[] {"root", "0", "00", "+0", "0000:10001", "10001:0", "10001:root", "gatehouse"}) {
            assertThat(refusal(b -> b.put("User", root))).as(root).contains("User must be a numeric non-root uid[:gid]");
        }
        assertThat(refusal(b -> b.put("User", "10001"))).isEqualTo("allowed");
        assertThat(refusal(b -> host(b).putObject("LogConfig").put("Type", "syslog").putObject("Config").put("syslog-address", "udp://198.51.100.7:514")))
                .contains("HostConfig.LogConfig.Type must keep the logs on this host");
        assertThat(refusal(b -> host(b).putObject("LogConfig").put("Type", "json-file"))).isEqualTo("allowed");
        assertThat(refusal(b -> ((ObjectNode) b.get("Labels")).put("io.gatehouse.owner", "someone-else")))
                .contains("must carry the label io.gatehouse.owner=gatehouse");
        assertThat(refusal(b -> b.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject("bridge")))
                .contains("NetworkingConfig may only name gatehouse-conn- networks");
        assertThat(CreateRules.refuseContainer(null, hardened(), "gatehouse")).hasValueSatisfying(w -> assertThat(w).contains("got no name"));
    }

    @Test
    void networksMustBeInternalOwnedBridgesNamedForTheFirewall() throws Exception {
        String ok = """
                {"Name":"gatehouse-conn-sql-1234abcd","Driver":"bridge","Internal":true,
                 "Labels":{"io.gatehouse.owner":"gatehouse"},"Options":{"com.docker.network.bridge.name":"ghc-1234abcd"}}""";
        assertThat(CreateRules.refuseNetwork(JSON.readTree(ok), "gatehouse")).isEmpty();
        assertThat(network(ok, n -> n.put("Driver", "macvlan"))).contains("bridge driver");
        assertThat(network(ok, n -> n.put("Attachable", true))).contains("Attachable");
        assertThat(network(ok, n -> ((ObjectNode) n.get("Options")).put("com.docker.network.bridge.name", "docker9")))
                .contains("com.docker.network.bridge.name=ghc-");
        assertThat(network(ok, n -> ((ObjectNode) n.get("Options")).put("com.docker.network.bridge.enable_icc", "true")))
                .contains("network option com.docker.network.bridge.enable_icc is not allowed");
        // Without a bridge name Docker calls it br-<id>, which the host rule for ghc-* would not cover.
        assertThat(network(ok, n -> n.remove("Options"))).contains("needs the option com.docker.network.bridge.name=ghc-");
        // The engine matches keys ignoring case: a lower-case spelling must be judged like the real one.
        assertThat(network(ok, n -> { n.remove("Internal"); n.put("internal", false); })).contains("must be Internal");
    }

    @Test
    void aBodyThatTheEngineWouldReadDifferentlyIsRefused() {
        String hardenedHost = hardened().get("HostConfig").toString();
        // Two spellings of HostConfig: Jackson alone would check one, the engine would merge the other in.
        assertThat(StrictJson.parse(("{\"User\":\"10001:10001\",\"HostConfig\":" + hardenedHost
                + ",\"hostconfig\":{\"Privileged\":true,\"Binds\":[\"/:/host\"]}}").getBytes()).problem())
                .contains("the key 'hostconfig' is given twice");
        // The same key twice: Jackson would keep the last, the engine merges.
        assertThat(StrictJson.parse(("{\"HostConfig\":{\"Privileged\":true,\"Binds\":[\"/:/host\"]},\"HostConfig\":" + hardenedHost + "}")
                .getBytes()).problem()).contains("twice");
        // Nested, too; the same value under two spellings (docker-java sends EnableIPv6 and EnableIpv6) is no ambiguity.
        assertThat(StrictJson.parse("{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}".getBytes()).problem())
                .contains("the key 'privileged' is given twice");
        assertThat(StrictJson.parse("{\"EnableIPv6\":false,\"EnableIpv6\":false}".getBytes()).ok()).isTrue();
        // A single field in another case is looked up as the engine would: privileged in lower case is still refused.
        assertThat(refusal(b -> host(b).remove("Privileged"))).isEqualTo("allowed");
        ObjectNode lower = hardened();
        host(lower).remove("Privileged");
        host(lower).put("privileged", true);
        assertThat(CreateRules.refuseContainer(NAME, lower, "gatehouse")).hasValueSatisfying(w -> assertThat(w).contains("Privileged must be false"));
        ObjectNode user = hardened();
        user.remove("User");
        user.put("user", "0");
        assertThat(CreateRules.refuseContainer(NAME, user, "gatehouse")).hasValueSatisfying(w -> assertThat(w).contains("non-root"));
    }

    private static String network(String json, Consumer<ObjectNode> change) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(json);
        change.accept(body);
        JsonNode node = body;
        return CreateRules.refuseNetwork(node, "gatehouse").orElse("allowed");
    }
}
