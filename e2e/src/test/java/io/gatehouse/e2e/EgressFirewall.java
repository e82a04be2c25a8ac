package io.gatehouse.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The egress lock-down of the test's own host: every new connection that any container of the stack (bridges
 * {@code gh-*}) or a connector ({@code ghc-*}) opens towards anything outside the stack is dropped and counted,
 * except the two the product may make: the model server and the license server, both fakes on this host. Forwarded
 * traffic (to any other host) is judged in DOCKER-USER, traffic to this host's own addresses in INPUT. Connections
 * between the stack's own containers are left alone. The chains are the test's own and removed afterwards.
 */
final class EgressFirewall implements AutoCloseable {

    static final String FORWARD_CHAIN = "GH-E2E-FWD";
    static final String INPUT_CHAIN = "GH-E2E-IN";
    private static final Path ROOT = Path.of("/");

    private final List<String[]> hooks = new ArrayList<>();

    private EgressFirewall() {
    }

    /** Allows new connections from the egress bridge to {@code hostAddress} on exactly these two ports. */
    static EgressFirewall install(String hostAddress, int modelPort, int licensePort) {
        EgressFirewall firewall = new EgressFirewall();
        firewall.removeLeftovers();
        iptables("-N", FORWARD_CHAIN);
        iptables("-A", FORWARD_CHAIN, "-i", "gh-+", "-o", "gh-+", "-j", "RETURN");
        iptables("-A", FORWARD_CHAIN, "-i", "ghc-+", "-o", "ghc-+", "-j", "RETURN");
        iptables("-A", FORWARD_CHAIN, "-m", "conntrack", "!", "--ctstate", "NEW", "-j", "RETURN");
        iptables("-A", FORWARD_CHAIN, "-m", "comment", "--comment", "denied-forward", "-j", "DROP");
        iptables("-N", INPUT_CHAIN);
        iptables("-A", INPUT_CHAIN, "-m", "conntrack", "!", "--ctstate", "NEW", "-j", "RETURN");
        iptables("-A", INPUT_CHAIN, "-i", "gh-egress", "-d", hostAddress, "-p", "tcp", "--dport", String.valueOf(modelPort),
                "-m", "comment", "--comment", "allowed-model", "-j", "ACCEPT");
        iptables("-A", INPUT_CHAIN, "-i", "gh-egress", "-d", hostAddress, "-p", "tcp", "--dport", String.valueOf(licensePort),
                "-m", "comment", "--comment", "allowed-license", "-j", "ACCEPT");
        iptables("-A", INPUT_CHAIN, "-m", "comment", "--comment", "denied-host", "-j", "DROP");
        firewall.hook("DOCKER-USER", "-i", "gh-+", "-j", FORWARD_CHAIN);
        firewall.hook("DOCKER-USER", "-i", "ghc-+", "-j", FORWARD_CHAIN);
        firewall.hook("INPUT", "-i", "gh-+", "-j", INPUT_CHAIN);
        firewall.hook("INPUT", "-i", "ghc-+", "-j", INPUT_CHAIN);
        return firewall;
    }

    private void hook(String chain, String... rule) {
        String[] args = new String[rule.length + 3];
        args[0] = "-I";
        args[1] = chain;
        args[2] = "1";
        System.arraycopy(rule, 0, args, 3, rule.length);
        iptables(args);
        hooks.add(concat(chain, rule));
    }

    /**
     * Moves the test's hooks back to the top of their chains: {@code installer up} inserts the host rule for connector
     * networks at the top of INPUT, which would otherwise drop a connector's attempt before it is counted.
     */
    void keepFirst() {
        List<String[]> current = List.copyOf(hooks);
        hooks.clear();
        for (String[] rule : current) {
            String[] delete = new String[rule.length + 1];
            delete[0] = "-D";
            System.arraycopy(rule, 0, delete, 1, rule.length);
            iptables(delete);
            hook(rule[0], java.util.Arrays.copyOfRange(rule, 1, rule.length));
        }
    }

    /** Packets that matched the rule with this comment (each is one attempt: only NEW connections get this far). */
    long packets(String comment) {
        String chain = comment.endsWith("forward") ? FORWARD_CHAIN : INPUT_CHAIN;
        String listing = Shell.ok(ROOT, "iptables", "-w", "-n", "-v", "-x", "-L", chain);
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+.*/\\* " + Pattern.quote(comment) + " \\*/").matcher(listing);
        if (!m.find()) {
            throw new AssertionError("No rule '" + comment + "' in " + chain + ":\n" + listing);
        }
        return Long.parseLong(m.group(1));
    }

    String listing() {
        return Shell.ok(ROOT, "iptables", "-w", "-n", "-v", "-x", "-L", FORWARD_CHAIN) + "\n"
                + Shell.ok(ROOT, "iptables", "-w", "-n", "-v", "-x", "-L", INPUT_CHAIN);
    }

    @Override
    public void close() {
        for (String[] rule : hooks) {
            String[] args = new String[rule.length + 1];
            args[0] = "-D";
            System.arraycopy(rule, 0, args, 1, rule.length);
            Shell.run(ROOT, java.time.Duration.ofSeconds(30), withWait(args));
        }
        removeLeftovers();
    }

    /** A run that crashed may have left the chains; they are the test's own. */
    private void removeLeftovers() {
        for (String hookChain : List.of("DOCKER-USER", "INPUT")) {
            for (String iface : List.of("gh-+", "ghc-+")) {
                for (String target : List.of(FORWARD_CHAIN, INPUT_CHAIN)) {
                    while (Shell.run(ROOT, java.time.Duration.ofSeconds(30),
                            withWait(new String[] {"-D", hookChain, "-i", iface, "-j", target})).exitCode() == 0) {
                        // removed one copy; try again
                    }
                }
            }
        }
        for (String chain : List.of(FORWARD_CHAIN, INPUT_CHAIN)) {
            Shell.run(ROOT, java.time.Duration.ofSeconds(30), withWait(new String[] {"-F", chain}));
            Shell.run(ROOT, java.time.Duration.ofSeconds(30), withWait(new String[] {"-X", chain}));
        }
    }

    private static void iptables(String... args) {
        Shell.run(ROOT, java.time.Duration.ofSeconds(30), withWait(args)).orFail("iptables " + String.join(" ", args));
    }

    private static String[] withWait(String[] args) {
        String[] all = new String[args.length + 2];
        all[0] = "iptables";
        all[1] = "-w";
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
