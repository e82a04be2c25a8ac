package io.gatehouse.installer;

import io.gatehouse.installer.backup.BackupCommand;
import io.gatehouse.installer.backup.RestoreCommand;
import io.gatehouse.installer.bundle.BundleCommand;
import io.gatehouse.installer.bundle.LoadCommand;
import io.gatehouse.installer.images.ImagesCommand;
import io.gatehouse.installer.init.InitCommand;
import io.gatehouse.installer.ops.AdminResetCommand;
import io.gatehouse.installer.preflight.PreflightCommand;
import io.gatehouse.installer.stack.DownCommand;
import io.gatehouse.installer.stack.LogsCommand;
import io.gatehouse.installer.stack.StatusCommand;
import io.gatehouse.installer.stack.UpCommand;
import io.gatehouse.installer.upgrade.UpgradeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;

/**
 * The IT command line ({@code ./installer.sh COMMAND}). Exit codes: 0 done, 1 a failed precondition or step (one
 * message on stderr saying what and how to fix it), 2 wrong usage.
 */
@Command(name = "installer.sh", mixinStandardHelpOptions = true, versionProvider = Installer.VersionProvider.class,
        description = "Installs and operates Gatehouse with Docker Compose on this host.",
        subcommands = {
                PreflightCommand.class,
                InitCommand.class,
                ImagesCommand.class,
                BundleCommand.class,
                LoadCommand.class,
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                LogsCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                UpgradeCommand.class,
                AdminResetCommand.class,
                // The vendor's tool (keygen/sign/verify), from the license module.
                io.gatehouse.license.cli.LicenseCommand.class,
        })
public final class Installer implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(Host.real(out, err), out, err, args));
    }

    /** Runs one command line with the real machine. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(Host.real(out, err), out, err, args);
    }

    /** Runs one command line against the given host (tests pass scripted programs, probes and clock). */
    public static int run(Host host, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(host);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InstallerException || e instanceof UncheckedIOException) {
                err.println("error: " + e.getMessage());
                // a second failure while cleaning up (e.g. starting the portal again) is reported after the first
                for (Throwable also : e.getSuppressed()) {
                    err.println("also: " + also.getMessage());
                }
                err.flush();
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static CommandLine commandLine(Host host) {
        return new CommandLine(new Installer(), new HostFactory(host));
    }

    /** Gives every command that wants one the {@link Host}. */
    private record HostFactory(Host host) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Host.class);
                return constructor.newInstance(host);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Gatehouse installer " + Version.imageTag()};
        }
    }
}
