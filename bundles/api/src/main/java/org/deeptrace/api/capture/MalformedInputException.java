package org.deeptrace.api.capture;

import java.nio.file.Path;

/** A record of an input file could not be read; says which file, which line (or record) and why. */
public class MalformedInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String reason;

    /** @param line 1-based line or record number, or 0 when the file as a whole is bad */
    public MalformedInputException(Path file, long line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
