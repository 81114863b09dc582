package org.deeptrace.shell.internal;

import java.nio.file.Path;

/** Turns a path typed in the shell into an absolute one, the way Karaf's file completer offers them. */
final class ShellPaths {
    private ShellPaths() {
    }

    /**
     * @param home where {@code ~} points
     * @param workingDir what relative paths are relative to (the Karaf process's working directory)
     */
    static Path resolve(String typed, Path home, Path workingDir) {
        Path path;
        if (typed.equals("~")) {
            path = home;
        } else if (typed.startsWith("~/")) {
            path = home.resolve(typed.substring(2));
        } else {
            path = workingDir.resolve(typed);
        }
        return path.toAbsolutePath().normalize();
    }

    static Path resolve(String typed) {
        return resolve(typed, Path.of(System.getProperty("user.home")), Path.of(System.getProperty("user.dir")));
    }
}
