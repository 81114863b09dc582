package org.deeptrace.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Reads the distribution's {@code etc/org.deeptrace.*.cfg} files the way Karaf's fileinstall does, so that a
 * replay runs with the configuration the container would use: one file per pid ({@code PID.cfg}), or per
 * factory configuration ({@code FACTORYPID-NAME.cfg}); values are strings; {@code ${name}} placeholders are
 * replaced (see {@link #placeholders}).
 */
final class ConfigFiles {

    /** Only our own pids: Karaf's files (pax-web, shell, ...) mean nothing in the replay framework. */
    static final String PREFIX = "org.deeptrace.";
    static final String SUFFIX = ".cfg";
    /** The property fileinstall adds to every configuration it loads: the file's URL. */
    static final String FILENAME_KEY = "felix.fileinstall.filename";

    /**
     * One configuration.
     *
     * @param pid the pid, or for a factory configuration the factory pid
     * @param name the factory configuration's name, or null for a singleton configuration
     * @param properties the values, placeholders replaced
     */
    record Config(String pid, String name, Hashtable<String, Object> properties) {
        boolean isFactory() {
            return name != null;
        }
    }

    private ConfigFiles() {
    }

    /** Every {@code org.deeptrace.*.cfg} of the directory, by file name. */
    static List<Config> readAll(Path etc, UnaryOperator<String> resolver) throws CliException {
        if (!Files.isDirectory(etc)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(etc)) {
            files = list.filter(ConfigFiles::isOurs).sorted().toList();
        } catch (IOException e) {
            throw CliException.failed(etc + ": " + e.getMessage(), e);
        }
        List<Config> configs = new ArrayList<>();
        for (Path file : files) {
            configs.add(read(file, resolver));
        }
        return configs;
    }

    static boolean isOurs(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length()
                && Files.isRegularFile(file);
    }

    static Config read(Path file, UnaryOperator<String> resolver) throws CliException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.failed(file + ": " + e.getMessage(), e);
        }
        Hashtable<String, Object> values = new Hashtable<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, resolver.apply(properties.getProperty(key)));
        }
        // As fileinstall does in the container: components name this file when they report a bad value.
        values.put(FILENAME_KEY, "file:" + file.toAbsolutePath()); // fileinstall's form: file:/path
        String base = file.getFileName().toString();
        base = base.substring(0, base.length() - SUFFIX.length());
        // fileinstall's naming: PID.cfg, or FACTORYPID-NAME.cfg for a factory configuration
        int dash = base.indexOf('-');
        if (dash > 0 && dash < base.length() - 1) {
            return new Config(base.substring(0, dash), base.substring(dash + 1), values);
        }
        return new Config(base, null, values);
    }

    /**
     * Replaces {@code ${name}} in a value: from {@code known} (karaf.home, karaf.data, ...), then system
     * properties, then {@code ${env:NAME}} from the environment; an unknown name becomes empty, as with
     * fileinstall. {@code \$} keeps a literal dollar.
     */
    static UnaryOperator<String> placeholders(Map<String, String> known, Map<String, String> env) {
        return value -> {
            if (value.indexOf('$') < 0) {
                return value;
            }
            StringBuilder out = new StringBuilder(value.length() + 32);
            int i = 0;
            while (i < value.length()) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                    out.append('$');
                    i += 2;
                } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                    int end = value.indexOf('}', i + 2);
                    if (end < 0) {
                        out.append(value, i, value.length());
                        break;
                    }
                    String name = value.substring(i + 2, end);
                    out.append(lookup(name, known, env));
                    i = end + 1;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        };
    }

    private static String lookup(String name, Map<String, String> known, Map<String, String> env) {
        if (name.startsWith("env:")) {
            return env.getOrDefault(name.substring(4), "");
        }
        String value = known.get(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        return value == null ? "" : value;
    }
}
