package io.gatehouse.installer.process;

/**
 * Every external program the installer starts (docker, docker compose, build scripts) goes through here, so tests
 * can script the answers and assert the exact sequence of commands.
 */
public interface CommandRunner {

    /** Runs the command to completion (or its timeout). Never throws for a failing or missing program: see the exit code. */
    CommandResult run(Command command);
}
