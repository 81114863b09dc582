package org.deeptrace.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.runtime.ReplayReport;

/**
 * The Java side of {@code bin/deeptrace replay}: {@code java -cp lib/cli/* org.deeptrace.cli.Main replay ARGS}.
 *
 * <p>Runs the same bundles as the container, in an embedded Felix framework, without root and without a running
 * container. Standard output carries the summary only; everything else (warnings, logs) goes to standard error.
 * User errors are one line, {@code deeptrace replay: ...}; {@code DEEPTRACE_DEBUG=1} adds stack traces and
 * start-up timings.
 */
public final class Main {

    static final String DEBUG_ENV = "DEEPTRACE_DEBUG";
    static final String USAGE = "usage: deeptrace replay INPUT... [--algo NAME] [--spans FILE] [--messages FILE]"
            + " [--lenient] [--protocol-port PORT[/udp]=PROTOCOL]... [--disable-protocol NAME]..."
            + System.lineSeparator()
            + "       deeptrace capture (--pid P[,P...] | --comm NAME | --cgroup PATH | --all) [--duration S]"
            + " --out FILE";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean debug;

    Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.debug = "1".equals(env.get(DEBUG_ENV)) || "true".equalsIgnoreCase(env.get(DEBUG_ENV));
    }

    public static void main(String[] args) {
        PrintStream stdout = System.out;
        // The framework, SCR and bundles may print: keep standard output for the summary alone.
        System.setOut(System.err);
        int status = new Main(stdout, System.err, System.getenv()).run(args);
        stdout.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs a command line and returns the exit status. */
    int run(String[] args) {
        if (args.length == 0) {
            err.println("deeptrace: no command given");
            err.println(USAGE);
            return CliException.USAGE;
        }
        String command = args[0];
        if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
            out.println(ReplayOptions.USAGE);
            return 0;
        }
        if (command.equals("capture")) {
            return capture(List.of(args).subList(1, args.length));
        }
        if (!command.equals("replay")) {
            err.println("deeptrace: unknown command " + command);
            err.println(USAGE);
            return CliException.USAGE;
        }
        return replay(List.of(args).subList(1, args.length));
    }

    private int capture(List<String> args) {
        try {
            CaptureOptions options = CaptureOptions.parse(args);
            if (options.help()) {
                out.println(CaptureOptions.USAGE);
                return 0;
            }
            // printed by the run itself, before a SIGTERM's shutdown hook lets the JVM exit
            new CaptureRun(Distribution.locate(), env, err, debug).run(options, summary -> {
                summary.lines().forEach(out::println);
                out.flush();
            });
            return 0;
        } catch (CliException e) {
            err.println("deeptrace capture: " + e.getMessage());
            if (e.showUsage()) {
                err.println(CaptureOptions.USAGE.lines().findFirst().orElse(""));
            }
            if (debug && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return e.exitStatus();
        } catch (RuntimeException | LinkageError e) {
            err.println("deeptrace capture: internal error: " + e);
            if (debug) {
                e.printStackTrace(err);
            }
            return CliException.FAILED;
        }
    }

    private int replay(List<String> args) {
        try {
            ReplayOptions options = ReplayOptions.parse(args);
            if (options.help()) {
                out.println(ReplayOptions.USAGE);
                return 0;
            }
            FileChecks.check(options);
            ReplayReport report = new ReplayRun(Distribution.locate(), env, err, debug).run(options);
            ReplaySummary.lines(report, options).forEach(out::println);
            out.flush();
            return 0;
        } catch (CliException e) {
            err.println("deeptrace replay: " + e.getMessage());
            if (e.hint() != null) {
                err.println("deeptrace replay: " + e.hint());
            }
            if (e.showUsage()) {
                err.println(USAGE);
            }
            if (debug && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return e.exitStatus();
        } catch (RuntimeException | LinkageError e) {
            err.println("deeptrace replay: internal error: " + e);
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println("deeptrace replay: " + DEBUG_ENV + "=1 shows the stack trace");
            }
            return CliException.FAILED;
        }
    }
}
