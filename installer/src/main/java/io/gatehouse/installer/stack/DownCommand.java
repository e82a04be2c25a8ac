package io.gatehouse.installer.stack;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * compose down, then every container and network labelled io.gatehouse.owner=OWNER (the connectors the portal started
 * through the docker-proxy, which compose does not know about): down leaves nothing running.
 */
@CommandLine.Command(name = "down", description = "Stops and removes every Gatehouse container and network (connectors included). --volumes deletes all data.")
public final class DownCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--volumes", description = "Also delete every volume: ALL DATA (database, chat history, certificates).")
    boolean volumes;

    @Option(names = "--yes", description = "Do not ask before deleting the volumes.")
    boolean yes;

    public DownCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = Stack.open(host, dir.resolve(host));
        if (volumes && !yes && !host.prompter().confirm("Delete ALL Gatehouse data (database, chat history, certificates)?")) {
            throw new InstallerException("not confirmed: nothing was stopped. Pass --yes to delete the volumes without asking");
        }
        List<String> args = new ArrayList<>(List.of("down", "--remove-orphans"));
        if (volumes) {
            args.add("--volumes");
        }
        stack.streamed("docker compose down", args.toArray(String[]::new));
        String owner = stack.env().get("GATEHOUSE_DOCKER_OWNER").or(() -> java.util.Optional.ofNullable(host.env().get("GATEHOUSE_DOCKER_OWNER")))
                .filter(o -> !o.isBlank()).orElse("gatehouse");
        int containers = removeLabelled(stack, List.of("docker", "ps", "-a", "-q", "--filter", "label=io.gatehouse.owner=" + owner),
                List.of("docker", "rm", "-f", "-v"), "containers");
        int networks = removeLabelled(stack, List.of("docker", "network", "ls", "-q", "--filter", "label=io.gatehouse.owner=" + owner),
                List.of("docker", "network", "rm"), "networks");
        int removedVolumes = volumes ? removeLabelled(stack, List.of("docker", "volume", "ls", "-q", "--filter", "label=io.gatehouse.owner=" + owner),
                List.of("docker", "volume", "rm", "-f"), "volumes") : 0;
        out.println("Gatehouse is down; removed " + containers + " connector container(s), " + networks + " connector network(s)"
                + (volumes ? ", " + removedVolumes + " connector volume(s) and every data volume" : "; data volumes kept"));
        return 0;
    }

    private static int removeLabelled(Stack stack, List<String> list, List<String> remove, String what) {
        CommandResult found = stack.run(Command.of(list));
        if (!found.succeeded()) {
            throw new InstallerException("listing labelled " + what + " failed: " + found.lastErrorLine());
        }
        List<String> ids = found.stdoutLines();
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> argv = new ArrayList<>(remove);
        argv.addAll(ids);
        CommandResult removed = stack.run(Command.of(argv));
        if (!removed.succeeded()) {
            throw new InstallerException("removing " + what + " " + String.join(" ", ids) + " failed: " + removed.lastErrorLine());
        }
        return ids.size();
    }
}
