package org.deeptrace.shell.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the live capture traces, as kept in configuration {@code org.deeptrace.capture}: comma-separated
 * {@code pids}, {@code comms}, {@code cgroups}, and {@code all}. The configuration stays the one source of truth, so
 * a change made here is written back to etc/org.deeptrace.capture.cfg by Karaf and survives a restart.
 */
final class CaptureTargets {
    static final String PID = "org.deeptrace.capture";

    final Set<String> pids;
    final Set<String> comms;
    final Set<String> cgroups;
    boolean all;

    private CaptureTargets(Set<String> pids, Set<String> comms, Set<String> cgroups, boolean all) {
        this.pids = pids;
        this.comms = comms;
        this.cgroups = cgroups;
        this.all = all;
    }

    static CaptureTargets from(Dictionary<String, Object> properties) {
        if (properties == null) {
            return new CaptureTargets(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>(), false);
        }
        Object all = properties.get("all");
        return new CaptureTargets(values(properties.get("pids")), values(properties.get("comms")),
                values(properties.get("cgroups")), all != null && Boolean.parseBoolean(all.toString().trim()));
    }

    /** Writes the targets into {@code properties}, leaving every other key as it was. */
    void into(Dictionary<String, Object> properties) {
        properties.put("pids", String.join(",", pids));
        properties.put("comms", String.join(",", comms));
        properties.put("cgroups", String.join(",", cgroups));
        properties.put("all", Boolean.toString(all));
    }

    boolean isEmpty() {
        return !all && pids.isEmpty() && comms.isEmpty() && cgroups.isEmpty();
    }

    /** Checks process ids before they reach the configuration, where a bad one would be rejected as a whole. */
    static void requirePids(Collection<String> pids) {
        for (String p : pids) {
            try {
                if (Integer.parseInt(p.trim()) <= 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a process id: " + p);
            }
        }
    }

    private static Set<String> values(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        Collection<?> items = value instanceof Object[] array ? Arrays.asList(array)
                : value instanceof Collection<?> c ? c : Set.of(value);
        for (Object item : items) {
            for (String part : item.toString().split("[,\\s]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
