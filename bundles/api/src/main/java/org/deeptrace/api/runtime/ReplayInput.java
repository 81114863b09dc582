package org.deeptrace.api.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replay input as operators write it: {@code FILE}, or {@code HOST=FILE} for a file captured on another host
 * (so per-host captures replayed together assemble into traces that cross hosts).
 *
 * @param host the host the file was captured on, or null for the configured host
 */
public record ReplayInput(String host, Path file) {
    private static final Pattern HOST_PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,252})=(.+)");

    public ReplayInput {
        Objects.requireNonNull(file, "file");
    }

    /**
     * Reads {@code FILE} or {@code HOST=FILE}; {@code resolve} turns the file part into a path. An argument that
     * names an existing file as a whole is that file, even when it contains {@code =}.
     */
    public static ReplayInput parse(String argument, Function<String, Path> resolve) {
        Path whole = resolve.apply(argument);
        Matcher m = HOST_PREFIX.matcher(argument);
        if (Files.exists(whole) || !m.matches()) {
            return new ReplayInput(null, whole);
        }
        return new ReplayInput(m.group(1), resolve.apply(m.group(2)));
    }

    @Override
    public String toString() {
        return host == null ? file.toString() : host + "=" + file;
    }
}
