package io.gatehouse.installer.ops;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.compose.Stack;
import io.gatehouse.installer.process.CommandResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "admin-reset", description = "Break-glass: gives an admin a new one-time password (MFA must be set up again).")
public final class AdminResetCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--email", required = true, description = "The admin's e-mail.")
    String email;

    public AdminResetCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = Stack.open(host, dir.resolve(host));
        CommandResult result = stack.run(PortalOps.command(stack.compose(), null, "admin-reset", "--email", email));
        if (!result.succeeded()) {
            throw new InstallerException("admin-reset failed: " + result.lastErrorLine());
        }
        out.print(result.stdout());
        // Failed-sign-in lockouts live in the portal's memory: a restart clears them, so the person can sign in now.
        if (stack.states().get("portal").status().equals("running")) {
            out.println("Restarting the portal so earlier sign-in lockouts of " + email + " are cleared...");
            out.flush();
            stack.stop("portal");
            stack.start("portal");
            if (!stack.waitHealthy(java.time.Duration.ofMinutes(5), out)) {
                throw new InstallerException("admin-reset succeeded, but the portal did not come back healthy: ./installer.sh logs portal");
            }
        }
        out.println("Give the password to " + email + " in person and have them change it at once; they must set up MFA again.");
        return 0;
    }
}
