package org.deeptrace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.runtime.ReplayInput;
import org.deeptrace.api.runtime.ReplayRequest;

/**
 * The command line of {@code deeptrace replay}.
 *
 * <p>Paths are kept as the user typed them: the launcher runs in the caller's working directory, so relative
 * paths resolve there, and messages name files the way the user wrote them.
 *
 * @param inputs capture files; several are merged by time
 * @param hosts the host of each input ({@code HOST=FILE}), null entries for the configured host
 * @param algorithm correlator name given with --algo, or null for the configured one
 * @param spansOut --spans FILE, or null
 * @param messagesOut --messages FILE, or null
 * @param lenient --lenient: skip and count malformed records
 * @param help -h/--help was given
 * @param protocolPorts --protocol-port PORT[/udp]=PROTOCOL entries (override the cfg's pins of the same ports)
 * @param disabledProtocols --disable-protocol NAME entries (added to the cfg's protocols.disabled)
 */
record ReplayOptions(List<Path> inputs, List<String> hosts, String algorithm, Path spansOut, Path messagesOut,
        boolean lenient, boolean help, List<String> protocolPorts, List<String> disabledProtocols) {

    static final java.util.regex.Pattern PROTOCOL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    static final java.util.regex.Pattern PROTOCOL_PORT =
            java.util.regex.Pattern.compile("(\\d{1,5})(/(?i:tcp|udp))?=([A-Za-z0-9][A-Za-z0-9._+-]*)");

    ReplayOptions(List<Path> inputs, List<String> hosts, String algorithm, Path spansOut, Path messagesOut,
            boolean lenient, boolean help) {
        this(inputs, hosts, algorithm, spansOut, messagesOut, lenient, help, List.of(), List.of());
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: deeptrace replay INPUT... [--algo NAME] [--spans FILE] [--messages FILE] [--lenient]",
            "                        [--protocol-port PORT[/udp]=PROTOCOL]... [--disable-protocol NAME]...",
            "",
            "Runs recorded capture files through the pipeline, offline, and prints a summary.",
            "",
            "  INPUT            capture file (capture-record JSON Lines or another installed format, plain or gzip);",
            "                   HOST=FILE: a file captured on another host (per-host captures replayed together",
            "                   are merged by time and assembled into traces that cross the hosts)",
            "  --algo NAME      correlator to use instead of the one in etc/org.deeptrace.pipeline.cfg",
            "  --spans FILE     write the span records (JSON Lines) to FILE",
            "  --messages FILE  write the L7 message records (JSON Lines) to FILE",
            "  --lenient        skip and count malformed records instead of stopping at the first one",
            "  --protocol-port PORT[/udp]=PROTOCOL",
            "                   parse connections to PORT as PROTOCOL without inference (as protocols.ports in",
            "                   etc/org.deeptrace.pipeline.cfg, whose entry for the same port it replaces); repeatable",
            "  --disable-protocol NAME",
            "                   never use protocol NAME (added to protocols.disabled); repeatable",
            "  -h, --help       show this help",
            "",
            "Exit status: 0 done, 1 replay failed (unreadable or malformed input, ...), 2 usage error.");

    ReplayOptions {
        inputs = List.copyOf(inputs);
        hosts = java.util.Collections.unmodifiableList(new ArrayList<>(hosts));
        protocolPorts = List.copyOf(protocolPorts);
        disabledProtocols = List.copyOf(disabledProtocols);
    }

    /** The request for the replay service. */
    ReplayRequest request() {
        return new ReplayRequest(inputs, algorithm, spansOut, messagesOut, lenient, false,
                hosts.stream().allMatch(java.util.Objects::isNull) ? List.of() : hosts);
    }

    /** Parses the arguments that follow {@code replay}. */
    static ReplayOptions parse(List<String> args) throws CliException {
        List<Path> inputs = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        String algorithm = null;
        Path spans = null;
        Path messages = null;
        boolean lenient = false;
        boolean help = false;
        List<String> protocolPorts = new ArrayList<>();
        List<String> disabledProtocols = new ArrayList<>();
        boolean optionsEnded = false;

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                ReplayInput input = input(arg);
                inputs.add(input.file());
                hosts.add(input.host());
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
                case "--algo", "--spans", "--messages", "--protocol-port", "--disable-protocol" -> {
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
                        case "--protocol-port" -> {
                            if (!PROTOCOL_PORT.matcher(value.strip()).matches()
                                    || Integer.parseInt(value.strip().replaceFirst("[/=].*", "")) > 65535
                                    || Integer.parseInt(value.strip().replaceFirst("[/=].*", "")) < 1) {
                                throw CliException.usage("--protocol-port " + value
                                        + ": not PORT=PROTOCOL or PORT/udp=PROTOCOL (port 1..65535)");
                            }
                            protocolPorts.add(value.strip());
                        }
                        case "--disable-protocol" -> {
                            if (!PROTOCOL_NAME.matcher(value.strip()).matches()) {
                                throw CliException.usage("--disable-protocol " + value + ": not a protocol name");
                            }
                            disabledProtocols.add(value.strip());
                        }
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
        return new ReplayOptions(inputs, hosts, algorithm, spans, messages, lenient, help, protocolPorts,
                disabledProtocols);
    }

    private static ReplayInput input(String text) throws CliException {
        path(text); // the usage errors of a plain file name
        try {
            return ReplayInput.parse(text, Path::of);
        } catch (java.nio.file.InvalidPathException e) {
            throw CliException.usage(text + ": not a valid file name");
        }
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
