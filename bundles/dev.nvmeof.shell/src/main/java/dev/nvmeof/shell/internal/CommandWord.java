package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.api.NvmeTimeoutException;

/**
 * A command word with subcommands ({@code nvme}, {@code ip}, {@code ofld}, {@code nic}): finds the subcommand, parses
 * its options, runs it, and turns every failure into one {@link ShellException} line naming the subcommand.
 */
public final class CommandWord {
    private final String word;
    private final String summary;
    private final Map<String, Subcommand> subcommands = new LinkedHashMap<>();

    public CommandWord(String word, String summary) {
        this.word = word;
        this.summary = summary;
    }

    public CommandWord add(Subcommand subcommand) {
        subcommands.put(subcommand.name(), subcommand);
        return this;
    }

    /** Gogo hands over its arguments as objects (mostly strings); each is taken by its text. */
    public void run(PrintStream out, Object... args) {
        List<String> words = new ArrayList<>();
        Arrays.stream(args == null ? new Object[0] : args).forEach(a -> words.add(String.valueOf(a)));
        if (words.isEmpty() || words.get(0).equals("help") || words.get(0).equals("--help")
                || words.get(0).equals("-h")) {
            out.print(help());
            return;
        }
        Subcommand subcommand = subcommands.get(words.get(0));
        if (subcommand == null) {
            throw ShellException.usage(word + ": unknown command '" + words.get(0) + "' (try: " + word + " help)");
        }
        Args parsed = subcommand.spec().parse(words.subList(1, words.size()));
        if (parsed.has("help")) {
            out.print(subcommand.help(word));
            return;
        }
        String what = word + " " + subcommand.name();
        try {
            subcommand.action().run(parsed, out);
        } catch (ShellException e) {
            throw e.getMessage().startsWith(word) ? e : new ShellException(e.status(), what + ": " + e.getMessage());
        } catch (InvalidOptionException e) {
            throw ShellException.usage(what + ": " + e.getMessage());
        } catch (NvmeStatusException e) {
            throw new ShellException(e.status().sct() << 8 | e.status().sc(), what + ": " + e.getMessage());
        } catch (NvmeTimeoutException e) {
            throw new ShellException(110, what + ": " + e.getMessage());
        } catch (NvmeException e) {
            throw new ShellException(ShellException.EIO, what + ": " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ShellException(ShellException.EINVAL, what + ": " + e.getMessage());
        }
    }

    /** Every subcommand with its summary. */
    public String help() {
        StringBuilder text = new StringBuilder(word + ": " + summary + "\nUsage: " + word
                + " <command> [OPTIONS]   (" + word + " <command> --help for its options)\n");
        for (Subcommand subcommand : subcommands.values()) {
            text.append(String.format("  %-16s %s%n", subcommand.name(), subcommand.summary()));
        }
        return text.toString();
    }
}
