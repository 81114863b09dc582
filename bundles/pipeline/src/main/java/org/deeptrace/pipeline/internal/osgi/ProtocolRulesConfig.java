package org.deeptrace.pipeline.internal.osgi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.api.model.Transport;
import org.deeptrace.pipeline.internal.core.ProtocolRules;

/**
 * Reads {@code protocols.disabled} and {@code protocols.ports} of the pipeline configuration.
 *
 * <pre>
 * protocols.disabled = thrift, dubbo
 * protocols.ports = 9090=http2, 6380=redis, 15353/udp=dns
 * </pre>
 *
 * Names are {@code ProtocolParser.protocol()} names, compared ignoring case. A port entry is
 * {@code PORT[/tcp|/udp]=PROTOCOL} (TCP when no transport is given). A malformed entry rejects the configuration
 * with the file, the key, the entry and the reason; a name no installed plugin has is accepted (plugins come and
 * go) and warned about when it matters.
 */
final class ProtocolRulesConfig {
    static final String DISABLED = "protocols.disabled";
    static final String PORTS = "protocols.ports";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern PIN = Pattern.compile("(\\d{1,5})(?:/([A-Za-z]+))?\\s*=\\s*(\\S+)");

    private ProtocolRulesConfig() {
    }

    static ProtocolRules read(ConfigValues c) {
        List<String> disabled = new ArrayList<>();
        for (String name : c.list(DISABLED)) {
            if (!NAME.matcher(name).matches()) {
                throw c.invalidEntry(DISABLED, name, "is not a protocol name");
            }
            disabled.add(name);
        }
        List<ProtocolRules.Pin> pins = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String entry : c.list(PORTS)) {
            Matcher m = PIN.matcher(entry);
            if (!m.matches()) {
                throw c.invalidEntry(PORTS, entry, "is not PORT=PROTOCOL or PORT/udp=PROTOCOL");
            }
            int port = Integer.parseInt(m.group(1));
            if (port < 1 || port > 65535) {
                throw c.invalidEntry(PORTS, entry, "has a port outside 1..65535");
            }
            Transport l4;
            String t = m.group(2) == null ? "tcp" : m.group(2).toLowerCase(Locale.ROOT);
            switch (t) {
                case "tcp" -> l4 = Transport.TCP;
                case "udp" -> l4 = Transport.UDP;
                default -> throw c.invalidEntry(PORTS, entry, "names transport '" + m.group(2) + "' (tcp or udp)");
            }
            String protocol = m.group(3);
            if (!NAME.matcher(protocol).matches()) {
                throw c.invalidEntry(PORTS, entry, "does not end in a protocol name");
            }
            String earlier = seen.put(port + "/" + t, entry);
            if (earlier != null) {
                throw c.invalidEntry(PORTS, entry, "pins port " + port + "/" + t + " again (also '" + earlier + "')");
            }
            pins.add(new ProtocolRules.Pin(l4, port, protocol, entry));
        }
        return ProtocolRules.of(disabled, pins, c.source());
    }
}
