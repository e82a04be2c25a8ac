package io.gatehouse.installer;

import java.io.Console;
import java.util.Optional;

/** Questions to the person at the terminal; none when no console is attached (scripts, CI). */
public interface Prompter {

    /** The answer, or empty when nobody can be asked. */
    Optional<String> ask(String question);

    boolean interactive();

    /** A yes/no question; false when nobody can be asked. */
    default boolean confirm(String question) {
        return ask(question + " [y/N] ").map(a -> a.strip().equalsIgnoreCase("y") || a.strip().equalsIgnoreCase("yes")).orElse(false);
    }

    static Prompter none() {
        return new Prompter() {
            @Override
            public Optional<String> ask(String question) {
                return Optional.empty();
            }

            @Override
            public boolean interactive() {
                return false;
            }
        };
    }

    /** The process's terminal, if stdin and stdout are one (Console.isTerminal, not merely non-null since JDK 22). */
    static Prompter console() {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            return none();
        }
        return new Prompter() {
            @Override
            public Optional<String> ask(String question) {
                return Optional.ofNullable(console.readLine("%s", question)).map(String::strip);
            }

            @Override
            public boolean interactive() {
                return true;
            }
        };
    }
}
