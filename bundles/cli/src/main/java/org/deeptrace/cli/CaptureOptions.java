package org.deeptrace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code deeptrace capture}.
 *
 * @param pids --pid P[,P...]
 * @param comms --comm NAME (repeatable, or comma separated)
 * @param cgroups --cgroup PATH (repeatable)
 * @param all --all: every process except the capture itself
 * @param durationSeconds --duration S, or 0 to run until SIGTERM/Ctrl-C
 * @param out --out FILE (capture-record JSON Lines)
 * @param help -h/--help was given
 */
record CaptureOptions(List<Integer> pids, List<String> comms, List<String> cgroups, boolean all,
        double durationSeconds, Path out, boolean help) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: deeptrace capture (--pid P[,P...] | --comm NAME | --cgroup PATH | --all) [--duration S]"
                    + " --out FILE.capture.jsonl",
            "",
            "Records the network syscalls of live processes with eBPF (as root) into a capture-record file, like",
            "tcpdump -w, and prints records, bytes and drops at exit. Other keys of etc/org.deeptrace.capture.cfg",
            "(payload_size, ring_buffer_size, probes, ...) apply.",
            "",
            "  --pid P[,P...]   trace these process ids",
            "  --comm NAME      trace processes with this name (the kernel's 15-byte comm); repeatable",
            "  --cgroup PATH    trace the processes of this cgroup v2 directory; repeatable",
            "  --all            trace every process except this one",
            "  --duration S     stop after S seconds (default: at SIGTERM or Ctrl-C)",
            "  --out FILE       where the capture records go",
            "",
            "Exit status: 0 done, 1 capture failed (not root, no BTF, ...), 2 usage error.");

    static CaptureOptions parse(List<String> args) throws CliException {
        List<Integer> pids = new ArrayList<>();
        List<String> comms = new ArrayList<>();
        List<String> cgroups = new ArrayList<>();
        boolean all = false;
        double duration = 0;
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return new CaptureOptions(List.of(), List.of(), List.of(), false, 0, null, true);
                }
                case "--all" -> all = true;
                case "--pid" -> {
                    for (String p : value(args, ++i, name, value).split(",")) {
                        try {
                            int pid = Integer.parseInt(p.trim());
                            if (pid <= 0) {
                                throw new NumberFormatException();
                            }
                            pids.add(pid);
                        } catch (NumberFormatException e) {
                            throw CliException.usage("--pid: not a process id: " + p);
                        }
                    }
                }
                case "--comm" -> {
                    for (String c : value(args, ++i, name, value).split(",")) {
                        if (!c.isBlank()) {
                            comms.add(c.trim());
                        }
                    }
                }
                case "--cgroup" -> cgroups.add(value(args, ++i, name, value));
                case "--duration" -> {
                    String d = value(args, ++i, name, value);
                    try {
                        duration = Double.parseDouble(d);
                    } catch (NumberFormatException e) {
                        duration = -1;
                    }
                    if (!(duration > 0)) {
                        throw CliException.usage("--duration: not a positive number of seconds: " + d);
                    }
                }
                case "--out" -> out = Path.of(value(args, ++i, name, value));
                default -> throw CliException.usage("unknown option " + arg);
            }
            if (value != null && !name.equals(arg)) {
                i--; // --name=value consumed no extra argument
            }
        }
        if (!all && pids.isEmpty() && comms.isEmpty() && cgroups.isEmpty()) {
            throw CliException.usage("no target: give --pid, --comm, --cgroup or --all");
        }
        if (out == null) {
            throw CliException.usage("--out FILE is required");
        }
        return new CaptureOptions(List.copyOf(pids), List.copyOf(comms), List.copyOf(cgroups), all, duration, out,
                false);
    }

    private static String value(List<String> args, int i, String name, String inline) throws CliException {
        if (inline != null) {
            return inline;
        }
        if (i >= args.size()) {
            throw CliException.usage(name + " needs a value");
        }
        return args.get(i);
    }
}
