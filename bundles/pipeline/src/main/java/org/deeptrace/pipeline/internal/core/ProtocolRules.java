package org.deeptrace.pipeline.internal.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * What operators decided about protocols, over inference: protocols that are never used ({@code protocols.disabled})
 * and ports whose connections use one protocol without inference ({@code protocols.ports}). Immutable: a new
 * configuration is a new instance, handed to the pipeline thread. Protocol names are compared ignoring case.
 *
 * @param source where the rules come from (the configuration file), for messages
 */
public record ProtocolRules(Set<String> disabled, Map<Integer, Pin> pins, String source) {

    /** No rules: every installed protocol is a candidate, no port is pinned. */
    public static final ProtocolRules NONE = new ProtocolRules(Set.of(), Map.of(), "defaults");
    public static final String DISABLED_KEY = "protocols.disabled";
    public static final String PORTS_KEY = "protocols.ports";

    /**
     * One {@code protocols.ports} entry.
     *
     * @param l4 the transport the pin applies to
     * @param port the server's port (for UDP, either end's)
     * @param protocol the protocol name as configured
     * @param entry the entry as written, for messages
     */
    public record Pin(Transport l4, int port, String protocol, String entry) {
    }

    public ProtocolRules {
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(disabled);
        disabled = Collections.unmodifiableSet(names);
        pins = Map.copyOf(pins);
    }

    public static ProtocolRules of(Collection<String> disabled, List<Pin> pins, String source) {
        Map<Integer, Pin> byPort = new HashMap<>();
        for (Pin p : pins) {
            byPort.put(key(p.l4(), p.port()), p);
        }
        return new ProtocolRules(Set.copyOf(disabled), byPort, source);
    }

    public boolean isDisabled(String protocol) {
        return !disabled.isEmpty() && disabled.contains(protocol);
    }

    public boolean hasPins() {
        return !pins.isEmpty();
    }

    /** The pin for {@code port} over {@code l4}, or null. */
    public Pin pinAt(Transport l4, int port) {
        return pins.isEmpty() ? null : pins.get(key(l4, port));
    }

    /** The enabled parser a pin names among {@code installed}, or null. */
    public ProtocolParser parserFor(Pin pin, List<ProtocolParser> installed) {
        return find(pin.protocol(), installed);
    }

    /** The enabled parser named {@code protocol} (ignoring case) among {@code installed}, or null. */
    public ProtocolParser find(String protocol, List<ProtocolParser> installed) {
        if (protocol == null || isDisabled(protocol)) {
            return null;
        }
        for (ProtocolParser p : installed) {
            if (p.protocol().equalsIgnoreCase(protocol)) {
                return p;
            }
        }
        return null;
    }

    /**
     * One thing wrong with the rules given the installed parsers.
     *
     * @param key the configuration key ({@code protocols.disabled} or {@code protocols.ports})
     * @param value the name or the entry as written
     * @param pin the pin concerned, or null for a disabled name
     * @param message what is wrong, naming the file, the key and the value
     */
    public record Problem(String key, String value, Pin pin, String message) {
    }

    /**
     * What is wrong with these rules given the installed parsers: pins of protocols that are not installed (or
     * disabled), and disabled names no parser has. One message per problem, naming the file, the key and the value.
     */
    public List<String> problems(List<ProtocolParser> installed) {
        return findProblems(installed).stream().map(Problem::message).toList();
    }

    /** {@link #problems} with their keys and values: disabled names first, then pins in the order of their entries. */
    public List<Problem> findProblems(List<ProtocolParser> installed) {
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (ProtocolParser p : installed) {
            names.add(p.protocol());
        }
        String known = String.join(", ", names);
        List<Problem> out = new ArrayList<>();
        for (String d : disabled) {
            if (!names.contains(d)) {
                out.add(new Problem(DISABLED_KEY, d, null, source + ": protocols.disabled names '" + d
                        + "', which no installed protocol plugin has (installed: " + known + ")"));
            }
        }
        List<Pin> sorted = new ArrayList<>(pins.values());
        sorted.sort(Comparator.comparing(Pin::entry));
        for (Pin pin : sorted) {
            String problem = pinProblem(pin, names, known);
            if (problem != null) {
                out.add(new Problem(PORTS_KEY, pin.entry(), pin, problem));
            }
        }
        return out;
    }

    /** The pins whose protocol no installed parser provides, or that is disabled: their ports are inferred. */
    public List<Pin> unresolvedPins(List<ProtocolParser> installed) {
        if (pins.isEmpty()) {
            return List.of();
        }
        List<Pin> out = new ArrayList<>();
        for (Problem p : findProblems(installed)) {
            if (p.pin() != null) {
                out.add(p.pin());
            }
        }
        return out;
    }

    /** What is wrong with one pin, or null when its protocol is installed and enabled. */
    String pinProblem(Pin pin, Set<String> installedNames, String known) {
        if (isDisabled(pin.protocol())) {
            return source + ": protocols.ports = '" + pin.entry() + "': protocol " + pin.protocol()
                    + " is disabled (protocols.disabled); connections on port " + pin.port() + " are inferred";
        }
        if (!installedNames.contains(pin.protocol())) {
            return source + ": protocols.ports = '" + pin.entry() + "': no protocol plugin named '" + pin.protocol()
                    + "' is installed (installed: " + known + "); connections on port " + pin.port() + " are inferred";
        }
        return null;
    }

    private static int key(Transport l4, int port) {
        return l4.ordinal() << 16 | port;
    }
}
