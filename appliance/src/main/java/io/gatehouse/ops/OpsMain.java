package io.gatehouse.ops;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The portal image's ops entry, for the installer:
 * {@code java -cp @/app/jib-classpath-file io.gatehouse.ops.OpsMain <command>} with the portal's environment.
 * Commands: {@code mongo-dump FILE}, {@code mongo-restore FILE}, {@code admin-reset --email E}. Exit 0 on success;
 * otherwise non-zero with one sentence on stderr. Nothing here starts the portal, its HTTP server, its migrations or
 * its connectors.
 */
@Command(name = "gatehouse-ops", description = "Operations on the portal's stores, run by the installer.",
        subcommands = {OpsMain.Dump.class, OpsMain.Restore.class, OpsMain.Reset.class, CommandLine.HelpCommand.class})
public final class OpsMain {

    /** What every command runs with: the portal's environment, a clock and where to write. */
    record Ops(Map<String, String> env, Clock clock, PrintStream out) {
    }

    private OpsMain() {
    }

    public static void main(String[] args) {
        // Log lines (logback writes to whatever System.out is) go to stderr: stdout carries only the commands' output,
        // so admin-reset's password line stays the last line of stdout.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = run(System.getenv(), Clock.systemUTC(), stdout, System.err, args);
        stdout.flush();
        System.exit(code);
    }

    /** Runs a command with this process's environment; the exit code is returned, not exited with. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.getenv(), Clock.systemUTC(), out, err, args);
    }

    static int run(Map<String, String> env, Clock clock, PrintStream out, PrintStream err, String... args) {
        Ops ops = new Ops(Map.copyOf(env), clock, out);
        CommandLine commandLine = new CommandLine(new OpsMain(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == Dump.class) {
                    return type.cast(new Dump(ops));
                }
                if (type == Restore.class) {
                    return type.cast(new Restore(ops));
                }
                if (type == Reset.class) {
                    return type.cast(new Reset(ops));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println(e.getMessage() + " (usage: mongo-dump FILE | mongo-restore FILE | admin-reset --email E)");
            err.flush();
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof OpsException) {
                err.println(e.getMessage());
            } else {
                err.println(cmd.getCommandName() + " failed: " + e);
            }
            err.flush();
            return 1;
        });
        if (args.length == 0) {
            err.println("Give a command: mongo-dump FILE, mongo-restore FILE or admin-reset --email E.");
            return 2;
        }
        return commandLine.execute(args);
    }

    @Command(name = "mongo-dump", description = "Every collection of the portal's MongoDB database into a gzip file.")
    static final class Dump implements Callable<Integer> {
        private final Ops ops;

        @Parameters(paramLabel = "FILE", description = "The dump file to write (.jsonl.gz).")
        Path file;

        Dump(Ops ops) {
            this.ops = ops;
        }

        @Override
        public Integer call() throws Exception {
            new MongoDump(new OpsStores(ops.env()), ops.out()).run(file);
            return 0;
        }
    }

    @Command(name = "mongo-restore", description = "Replaces every collection of the portal's MongoDB database with a dump's.")
    static final class Restore implements Callable<Integer> {
        private final Ops ops;

        @Parameters(paramLabel = "FILE", description = "A file written by mongo-dump.")
        Path file;

        Restore(Ops ops) {
            this.ops = ops;
        }

        @Override
        public Integer call() throws Exception {
            new MongoRestore(new OpsStores(ops.env()), ops.out()).run(file);
            return 0;
        }
    }

    @Command(name = "admin-reset", description = "Break-glass: a new one-time password for an admin, MFA removed, sessions and tokens ended.")
    static final class Reset implements Callable<Integer> {
        private final Ops ops;

        @Option(names = "--email", required = true, description = "The account to reset.")
        String email;

        Reset(Ops ops) {
            this.ops = ops;
        }

        @Override
        public Integer call() throws Exception {
            AdminReset.Result result = new AdminReset(new OpsStores(ops.env()).applicationDataSource(), ops.clock(), new SecureRandom())
                    .run(email);
            PrintStream out = ops.out();
            out.println("Reset " + result.email() + ": admin, active, two-factor authentication removed (set it up again at the"
                    + " next sign-in), " + result.sessionsEnded() + " sessions ended, " + result.tokensRevoked() + " API tokens revoked.");
            out.println("It is shown only now: sign in with it and change it at once (My account > Password).");
            out.println("password: " + result.password());
            out.flush();
            return 0;
        }
    }
}
