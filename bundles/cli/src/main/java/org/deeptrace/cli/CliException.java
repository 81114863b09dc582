package org.deeptrace.cli;

/**
 * A failure the user can act on: printed as one line (no stack trace) and turned into an exit status.
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit status of a command line the launcher cannot run (bad option, missing input argument). */
    static final int USAGE = 2;
    /** Exit status of a replay that could not be done (missing file, malformed record, missing service). */
    static final int FAILED = 1;

    private final int exitStatus;
    private final boolean showUsage;
    private String hint;

    private CliException(String message, int exitStatus, boolean showUsage, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
        this.showUsage = showUsage;
    }

    /** A command line error: the message, then the usage text, exit status 2. */
    static CliException usage(String message) {
        return new CliException(message, USAGE, true, null);
    }

    /** An argument the replay service rejected (unknown correlator or input format): exit status 2. */
    static CliException badArgument(String message, Throwable cause) {
        return new CliException(message, USAGE, false, cause);
    }

    /** The replay could not be done: exit status 1. */
    static CliException failed(String message) {
        return new CliException(message, FAILED, false, null);
    }

    static CliException failed(String message, Throwable cause) {
        return new CliException(message, FAILED, false, cause);
    }

    /** Adds a line of advice printed after the message. */
    CliException withHint(String advice) {
        this.hint = advice;
        return this;
    }

    /** The advice line, or null. */
    String hint() {
        return hint;
    }

    int exitStatus() {
        return exitStatus;
    }

    boolean showUsage() {
        return showUsage;
    }
}
