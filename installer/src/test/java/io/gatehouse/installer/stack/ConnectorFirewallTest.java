package io.gatehouse.installer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.process.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorFirewallTest {

    static final String RULE = "INPUT -i ghc-+ -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP";

    @TempDir Path tmp;

    private TestHost healthyStack() throws Exception {
        TestHost t = new TestHost(tmp);
        Files.writeString(t.compose.resolve(".env"), "GATEHOUSE_VERSION=0.1.0\nGATEHOUSE_HOSTNAME=gh.example.com\n");
        t.runner.on(" ps -a -q", CommandResult.ok("a\nb\nc\nd\ne\n"))
                .on("docker inspect --format", CommandResult.ok("postgres running healthy False\nmongo running healthy False\n"
                        + "docker-proxy running healthy False\nportal running healthy False\ncaddy running healthy False\n"));
        return t;
    }

    @Test
    void upAsRootAddsTheConnectorRuleWhenMissingBeforeStartingTheStack() throws Exception {
        TestHost t = healthyStack();
        t.root = true;
        t.runner.on("iptables -w -C " + RULE, CommandResult.failed(1, "Bad rule (does a matching rule exist in that chain?)"));

        assertThat(t.run("up")).as(t.output()).isZero();

        assertThat(t.runner.lines()).containsSubsequence("iptables -w -C " + RULE, "iptables -w -I " + RULE);
        int inserted = t.runner.lines().indexOf("iptables -w -I " + RULE);
        assertThat(t.runner.lines().subList(inserted, t.runner.lines().size())).anyMatch(l -> l.contains(" up -d"));
    }

    @Test
    void upLeavesAPresentRuleAloneAndWithoutRootSaysHowToAddIt() throws Exception {
        TestHost t = healthyStack();
        t.root = true;
        assertThat(t.run("up")).as(t.output()).isZero();
        assertThat(t.runner.lines()).contains("iptables -w -C " + RULE).doesNotContain("iptables -w -I " + RULE);

        TestHost notRoot = healthyStack();
        assertThat(notRoot.run("up")).as(notRoot.output()).isZero();
        assertThat(notRoot.runner.lines()).noneMatch(l -> l.startsWith("iptables"));
        assertThat(notRoot.out.toString()).contains("as root run: iptables -I " + RULE);
    }

    @Test
    void upRefusesToStartWhenTheRuleCannotBeAdded() throws Exception {
        TestHost t = healthyStack();
        t.root = true;
        t.runner.on("iptables -w -C", CommandResult.failed(1, "Bad rule"))
                .on("iptables -w -I", CommandResult.failed(4, "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id"));

        assertThat(t.run("up")).isEqualTo(1);
        assertThat(t.err.toString()).contains("could not add the host firewall rule for connector networks").contains("Could not fetch");
        assertThat(t.runner.lines()).noneMatch(l -> l.contains(" up -d"));
    }
}
