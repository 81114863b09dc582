package org.deeptrace.shell.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.capture.MalformedInputException;

/**
 * Turns what a replay throws because of its input or its options into one line for the user. Karaf shows a
 * {@link CommandException} as its message alone and logs it at debug level only: no stack trace on the console.
 */
final class ReplayErrors {
    private ReplayErrors() {
    }

    static CommandException userError(Exception e) {
        return new CommandException("replay failed: " + describe(e), e);
    }

    static String describe(Exception e) {
        if (e instanceof MalformedInputException m) {
            // Already "file:line: reason".
            return m.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
        }
        if (e instanceof IOException) {
            return "I/O error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
