package io.gatehouse.installer.stack;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.compose.ServiceState;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.process.CommandResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", description = "Shows each service and its health; exit 1 if any is not healthy.")
public final class StatusCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    public StatusCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = Stack.open(host, dir.resolve(host));
        CommandResult ps = stack.run(stack.compose().command("ps"));
        out.print(ps.stdout());
        Map<String, ServiceState> states = stack.states();
        out.println();
        out.printf("%-14s %s%n", "SERVICE", "HEALTH");
        boolean allHealthy = true;
        for (ServiceState state : states.values()) {
            out.printf("%-14s %s%n", state.service(), state.describe());
            allHealthy &= state.healthy();
        }
        out.println(allHealthy ? "all healthy: " + stack.url() : "not all healthy: ./installer.sh logs SERVICE shows why");
        return allHealthy ? 0 : 1;
    }
}
