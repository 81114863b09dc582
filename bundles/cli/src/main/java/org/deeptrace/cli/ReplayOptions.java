package org.deeptrace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code deeptrace replay}.
 *
 * <p>Paths are kept as the user typed them: the launcher runs in the caller's working directory, so relative
 * paths resolve there, and messages name files the way the user wrote them.
 *
 * @param inputs capture files, in order
 * @param algorithm correlator name given with --algo, or null for the configured one
 * @param spansOut --spans FILE, or null
 * @param messagesOut --messages FILE, or null
 * @param lenient --lenient: skip and count malformed records
 * @param help -h/--help was given
 */
record ReplayOptions(List<Path> inputs, String algorithm, Path spansOut, Path messagesOut, boolean lenient,
        boolean help) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: deeptrace replay INPUT... [--algo NAME] [--spans FILE] [--messages FILE] [--lenient]",
            "",
            "Runs recorded capture files through the pipeline, offline, and prints a summary.",
            "",
            "  INPUT            capture file (capture-record JSON Lines or another installed format, plain or gzip)",
            "  --algo NAME      correlator to use instead of the one in etc/org.deeptrace.pipeline.cfg",
            "  --spans FILE     write the span records (JSON Lines) to FILE",
            "  --messages FILE  write the L7 message records (JSON Lines) to FILE",
            "  --lenient        skip and count malformed records instead of stopping at the first one",
            "  -h, --help       show this help",
            "",
            "Exit status: 0 done, 1 replay failed (unreadable or malformed input, ...), 2 usage error.");

    ReplayOptions {
        inputs = List.copyOf(inputs);
    }

    /** Parses the arguments that follow {@code replay}. */
    static ReplayOptions parse(List<String> args) throws CliException {
        List<Path> inputs = new ArrayList<>();
        String algorithm = null;
        Path spans = null;
        Path messages = null;
        boolean lenient = false;
        boolean help = false;
        boolean optionsEnded = false;

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                inputs.add(path(arg));
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--" -> optionsEnded = true;
                case "-h", "--help" -> help = true;
                case "--lenient" -> {
                    if (value != null) {
                        throw CliException.usage("--lenient takes no value");
                    }
                    lenient = true;
                }
                case "--algo", "--spans", "--messages" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw CliException.usage(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (value.isBlank()) {
                        throw CliException.usage(name + " needs a value");
                    }
                    switch (name) {
                        case "--algo" -> algorithm = value.strip();
                        case "--spans" -> spans = path(value);
                        default -> messages = path(value);
                    }
                }
                default -> throw CliException.usage("unknown option " + name);
            }
        }
        if (!help && inputs.isEmpty()) {
            throw CliException.usage("no input file given");
        }
        return new ReplayOptions(inputs, algorithm, spans, messages, lenient, help);
    }

    private static Path path(String text) throws CliException {
        if (text.isEmpty()) {
            throw CliException.usage("empty file name");
        }
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw CliException.usage(text + ": not a valid file name");
        }
    }
}
