package io.gatehouse.bench;

import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code main} every benchmark shares: parse the command line with picocli into the benchmark's options, then run
 * it with stdout kept for the result table. Exit status 0 when the run passed (or after {@code --help}), 2 for a
 * command line it cannot use (the message and the usage go to stderr), 1 when the run failed or threw.
 */
final class BenchMain {

    private static final int BAD_USAGE = 2;
    private static final int FAILED = 1;

    /** A benchmark's picocli-annotated options; {@link #check} adds what the annotations cannot say (ranges). */
    interface Options {

        /** Throws a {@link ParameterException} for a value picocli parsed but the benchmark cannot use. */
        void check(CommandLine commandLine);
    }

    /** One run of a benchmark: writes only its result table to {@code stdout}, returns the exit status. */
    @FunctionalInterface
    interface Run<O extends Options> {

        int run(O options, PrintStream stdout) throws Exception;
    }

    private BenchMain() {
    }

    static <O extends Options> void main(String[] args, O options, Run<O> run) {
        System.exit(execute(args, options, run));
    }

    static <O extends Options> int execute(String[] args, O options, Run<O> run) {
        if (System.getProperty("logback.configurationFile") == null) {
            // Before anything touches a logger: the portal logs at INFO, which would drown the results.
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        CommandLine commandLine = new CommandLine(options)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        // Added here rather than with mixinStandardHelpOptions, which would also add a --version with nothing to show.
        commandLine.getCommandSpec().addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("show this help and exit")
                .build());
        try {
            commandLine.parseArgs(args);
            if (commandLine.isUsageHelpRequested()) {
                commandLine.usage(System.out);
                return 0;
            }
            options.check(commandLine);
        } catch (ParameterException e) {
            System.err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, System.err); // "Did you mean" for a mistyped option
            commandLine.usage(System.err);
            return BAD_USAGE;
        }
        // stdout carries only the result table; the Micronaut banner and progress go to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return run.run(options, stdout);
        } catch (Throwable e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            return FAILED;
        } finally {
            stdout.flush();
        }
    }

    /** A usage error naming the option and its range unless {@code value} lies in {@code [min, max]}. */
    static void requireWithin(CommandLine commandLine, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(commandLine, String.format(Locale.ROOT,
                    "%s takes whole numbers from %d to %d, not '%d'", option, min, max, value));
        }
    }
}
