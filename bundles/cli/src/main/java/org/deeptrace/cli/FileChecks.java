package org.deeptrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files of a replay before the framework is started, so that a typo costs no start-up time and
 * gets a one-line answer: {@code FILE: reason}.
 */
final class FileChecks {

    private FileChecks() {
    }

    static void check(ReplayOptions options) throws CliException {
        for (Path input : options.inputs()) {
            checkInput(input);
        }
        checkOutput(options, options.spansOut());
        checkOutput(options, options.messagesOut());
        if (options.spansOut() != null && options.spansOut().toAbsolutePath().normalize()
                .equals(options.messagesOut() == null ? null : options.messagesOut().toAbsolutePath().normalize())) {
            throw CliException.usage("--spans and --messages name the same file " + options.spansOut());
        }
    }

    static void checkInput(Path input) throws CliException {
        if (!Files.exists(input)) {
            throw CliException.failed(input + ": no such file");
        }
        if (Files.isDirectory(input)) {
            throw CliException.failed(input + ": is a directory");
        }
        if (!Files.isReadable(input)) {
            throw CliException.failed(input + ": permission denied");
        }
    }

    private static void checkOutput(ReplayOptions options, Path output) throws CliException {
        if (output == null) {
            return;
        }
        if (Files.isDirectory(output)) {
            throw CliException.failed(output + ": is a directory");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw CliException.failed(output + ": no such directory " + parent);
        }
        if (Files.exists(output) ? !Files.isWritable(output) : !Files.isWritable(parent)) {
            throw CliException.failed(output + ": permission denied");
        }
        for (Path input : options.inputs()) {
            if (sameFile(input, output)) {
                throw CliException.usage(output + ": is also an input; it would be overwritten");
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
