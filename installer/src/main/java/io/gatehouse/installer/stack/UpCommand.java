package io.gatehouse.installer.stack;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.compose.Images;
import io.gatehouse.installer.compose.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "up", description = "Starts every service (docker compose up -d) and waits until all are healthy.")
public final class UpCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long to wait for healthy services (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public UpCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = Stack.open(host, dir.resolve(host));
        return up(host, stack, Duration.ofSeconds(timeoutSeconds), out) ? 0 : 1;
    }

    /** Checks the images, starts the stack, waits; prints where to sign in. False when not healthy in time. */
    public static boolean up(Host host, Stack stack, Duration timeout, PrintWriter out) {
        Images.requirePresent(host.runner(), stack.requiredImages(), host.sourceCheckout());
        ConnectorFirewall.ensure(host, out);
        stack.upDetached();
        if (!stack.waitHealthy(timeout, out)) {
            out.println("Gatehouse did not become healthy: see the log lines above, then ./installer.sh logs SERVICE");
            out.flush();
            return false;
        }
        out.println("Gatehouse is running: " + stack.url());
        stack.env().get("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL").filter(e -> !e.isBlank()).ifPresent(email ->
                out.println("Sign in as " + email + " with the password init printed (GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD in "
                        + stack.dir().resolve(".env") + "), then set up MFA; change the password under Account."));
        out.flush();
        return true;
    }
}
