package io.gatehouse.installer.stack;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The host rule for connector networks. Each connector sits on its own internal Docker network (bridge
 * {@code ghc-<id>}); Docker's "internal" flag stops forwarding off that network but not packets addressed to the host
 * itself, so without this rule a connector could open connections to services listening on the host (SSH, the
 * Docker API, a database). One wildcard rule closes that for every connector bridge, present and future: only
 * replies to connections the host opened may come in. Same rule as {@code docker/connector-firewall.sh}.
 */
final class ConnectorFirewall {

    static final List<String> RULE = List.of("INPUT", "-i", "ghc-+", "-m", "conntrack", "!", "--ctstate", "ESTABLISHED,RELATED", "-j", "DROP");

    private ConnectorFirewall() {
    }

    /** Adds the rule unless present. Without root it cannot, and says how to add it. */
    static void ensure(Host host, PrintWriter out) {
        if (!host.root()) {
            out.println("warning: not root, so the host firewall rule for connector networks was not checked; as root run: iptables -I "
                    + String.join(" ", RULE));
            return;
        }
        CommandResult present = host.runner().run(Command.of(iptables("-C")));
        if (present.exitCode() == CommandResult.NOT_FOUND) {
            throw new InstallerException("iptables not found: install it (apt-get install iptables); Gatehouse needs one host rule"
                    + " that keeps connector containers away from services on this host");
        }
        if (present.succeeded()) {
            return;
        }
        CommandResult added = host.runner().run(Command.of(iptables("-I")));
        if (!added.succeeded()) {
            throw new InstallerException("could not add the host firewall rule for connector networks (iptables -I "
                    + String.join(" ", RULE) + "): " + added.lastErrorLine());
        }
        out.println("host firewall: connector networks may not open connections to this host (iptables INPUT rule added)");
    }

    private static List<String> iptables(String operation) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", operation));
        argv.addAll(RULE);
        return argv;
    }
}
