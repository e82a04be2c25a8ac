package io.gatehouse.installer.preflight;

import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;

import java.util.List;

/** The clock is kept synchronised (TOTP codes, license dates, certificate checks and audit times depend on it). */
final class ClockCheck implements Check {

    static final String NAME = "clock";

    @Override
    public List<CheckResult> run(PreflightContext context) {
        CommandResult ntp = context.host().runner().run(Command.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"));
        if (ntp.succeeded() && ntp.stdout().strip().equals("yes")) {
            return List.of(CheckResult.pass(NAME, "synchronised (timedatectl)"));
        }
        for (String daemon : List.of("chronyd", "ntpd")) {
            if (context.host().runner().run(Command.of("pgrep", "-x", daemon)).succeeded()) {
                return List.of(CheckResult.pass(NAME, daemon + " is running"));
            }
        }
        return List.of(CheckResult.warn(NAME, "not known to be synchronised: install and start chrony (apt-get install chrony)"
                + " or enable timedatectl set-ntp true; sign-in codes and license dates need a correct clock"));
    }
}
