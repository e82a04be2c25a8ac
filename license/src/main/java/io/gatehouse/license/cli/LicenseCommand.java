package io.gatehouse.license.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The vendor tool ({@code installer license ...}): make a vendor key pair, sign a license with it, check a license
 * file. Each subcommand is a thin adapter over the license module.
 */
@Command(name = "license", mixinStandardHelpOptions = true,
        description = "Issue and check Gatehouse license files (vendor tool).",
        subcommands = {KeygenCommand.class, SignCommand.class, VerifyCommand.class})
public final class LicenseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "Choose a subcommand: keygen, sign or verify.");
    }
}
