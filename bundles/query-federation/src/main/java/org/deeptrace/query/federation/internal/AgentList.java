package org.deeptrace.query.federation.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code agents} setting: {@code name=http://host:port, ...}; blank for none. */
final class AgentList {
    record Entry(String name, URI base) {
    }

    private AgentList() {
    }

    /** @throws IllegalArgumentException naming the entry and what is wrong with it */
    static List<Entry> parse(String value) {
        List<Entry> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        Set<String> names = new HashSet<>();
        for (String item : value.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("agents: '" + entry + "' is not name=http://host:port");
            }
            String name = entry.substring(0, eq).strip();
            String url = entry.substring(eq + 1).strip();
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("agents: '" + url + "' of agent " + name + " is not a URL: "
                        + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("agents: '" + url + "' of agent " + name
                        + " must be an http:// or https:// URL with a host");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("agents: the name '" + name + "' is given twice");
            }
            out.add(new Entry(name, uri));
        }
        return out;
    }
}
