package dev.nvmeof.shell.internal;

import java.io.PrintStream;

import dev.nvmeof.api.NvmeException;

/** One subcommand of a command word ({@code nvme connect}, {@code ip addr}): its options and what it does. */
public record Subcommand(String name, String summary, Args.Spec spec, Action action) {

    /** Runs with the parsed options, printing to {@code out}. */
    @FunctionalInterface
    public interface Action {
        void run(Args args, PrintStream out) throws NvmeException;
    }

    /** The help text: usage line and each option with its letter. */
    public String help(String word) {
        StringBuilder text = new StringBuilder("Usage: " + word + " " + name + " [OPTIONS]\n" + summary + "\n");
        for (Args.Option option : spec.options()) {
            String names = (option.letter() == 0 ? "    " : "-" + option.letter() + ", ") + "--" + option.name()
                    + (option.takesValue() ? " VALUE" : "");
            text.append(String.format("  %-34s %s%n", names, option.help()));
        }
        return text.toString();
    }
}
