package io.gatehouse.installer.stack;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.process.CommandResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "logs", description = "Shows the services' logs (docker compose logs).")
public final class LogsCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;

    @Option(names = {"-f", "--follow"}, description = "Keep following the logs (Ctrl-C stops).")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each service.")
    Integer tail;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "caddy, portal, postgres, mongo or docker-proxy (default: all).")
    String service;

    public LogsCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        Stack stack = Stack.open(host, dir.resolve(host));
        List<String> args = new ArrayList<>(List.of("logs", "--no-color"));
        if (follow) {
            args.add("--follow");
        }
        if (tail != null) {
            args.addAll(List.of("--tail", tail.toString()));
        }
        if (service != null) {
            args.add(service);
        }
        CommandResult result = stack.run(stack.compose().command(args).streamed().timeout(Duration.ZERO));
        return result.succeeded() ? 0 : 1;
    }
}
