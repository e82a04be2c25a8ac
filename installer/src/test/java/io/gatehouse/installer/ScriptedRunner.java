package io.gatehouse.installer;

import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandResult;
import io.gatehouse.installer.process.CommandRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Answers commands by the text they contain (the last matching rule wins) and records every command it ran. */
public final class ScriptedRunner implements CommandRunner {

    private record Rule(String contains, Function<Command, CommandResult> answer) {
    }

    private final List<Rule> rules = new ArrayList<>();
    public final List<Command> calls = new ArrayList<>();

    public ScriptedRunner on(String contains, CommandResult result) {
        return on(contains, c -> result);
    }

    public ScriptedRunner on(String contains, Function<Command, CommandResult> answer) {
        rules.add(new Rule(contains, answer));
        return this;
    }

    @Override
    public CommandResult run(Command command) {
        calls.add(command);
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (command.line().contains(rules.get(i).contains())) {
                return rules.get(i).answer().apply(command);
            }
        }
        return CommandResult.ok("");
    }

    public List<String> lines() {
        return calls.stream().map(Command::line).toList();
    }
}
